import fs from 'node:fs';
import path from 'node:path';

/** The repository's `src/` folder. */
export const SRC = path.resolve(__dirname, '..', '..', 'src');

/** One import of a source file: the specifier as written and, for a relative one, the file it names. */
export interface SourceImport {
  specifier: string;
  target?: string;
}

// Static imports and re-exports (possibly over several lines), side-effect imports, dynamic import() and require().
const PATTERNS = [
  /^\s*(?:import|export)\s[^;]*?\sfrom\s*['"]([^'"]+)['"]/gms,
  /^\s*import\s*['"]([^'"]+)['"]/gm,
  /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every `.ts` file under a folder, as absolute paths. */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  return [base, `${base}.ts`, path.join(base, 'index.ts')].find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile());
}

/** The imports a file's source text declares, relative ones resolved to files. */
export function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): SourceImport[] {
  const specifiers = new Set<string>();
  for (const pattern of PATTERNS) for (const match of text.matchAll(pattern)) specifiers.add(match[1]);
  return [...specifiers].map((specifier) => (specifier.startsWith('.') ? { specifier, target: resolveRelative(file, specifier) } : { specifier }));
}

/** The first import cycle found by a depth-first walk of the graph, as the files around it (first file repeated at the end). */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}
