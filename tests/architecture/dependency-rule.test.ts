import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCycle, importsOf, sourceFiles, SRC } from './source-imports';

// The dependency rule of docs (DESIGN.md, "Layout"): Domain -> nothing; Functions -> Domain;
// LocalHost -> no src/Dps.*; Cli -> all three; no import cycles anywhere under src/.
const FLOORS = ['Dps.Domain', 'Dps.Functions', 'Dps.LocalHost', 'Dps.Cli'] as const;
type Floor = (typeof FLOORS)[number];

/** What each floor may import from src/ (itself included). */
const MAY_IMPORT: Record<Floor, Floor[]> = {
  'Dps.Domain': ['Dps.Domain'],
  'Dps.Functions': ['Dps.Functions', 'Dps.Domain'],
  'Dps.LocalHost': ['Dps.LocalHost'],
  'Dps.Cli': ['Dps.Cli', 'Dps.Functions', 'Dps.LocalHost', 'Dps.Domain'],
};

/** The only packages Domain may import: hashing and RE2 matching, which are pure (no I/O, clock or randomness). */
const DOMAIN_PACKAGES = ['node:crypto', 're2js'];

const rel = (file: string) => path.relative(SRC, file).split(path.sep).join('/');
const floorOf = (file: string) => rel(file).split('/')[0] as Floor;
const files = sourceFiles(SRC);
const imports = new Map(files.map((file) => [file, importsOf(file)]));

describe('source-imports (the reader the rules rely on)', () => {
  it('finds multi-line, type-only, re-exported, side-effect and dynamic imports, and ignores strings that only look like them', () => {
    const text = [
      "import {\n  a,\n  b,\n} from 'x-multi';", "import type { T } from 'x-type';", "export { c } from 'x-reexport';",
      "import 'x-side';", "const m = await import('x-dynamic');", "const s = 'import nothing from \"x-fake\"';",
    ].join('\n');
    expect(importsOf(path.join(SRC, 'probe.ts'), text).map((i) => i.specifier).sort()).toEqual(['x-dynamic', 'x-multi', 'x-reexport', 'x-side', 'x-type']);
  });

  it('reports a cycle with the files around it, and none in a graph without one', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]]))).toBeUndefined();
  });
});

describe('the dependency rule', () => {
  it('reads every floor', () => {
    for (const floor of FLOORS) expect(files.some((f) => floorOf(f) === floor), floor).toBe(true);
  });

  it('resolves every relative import to a file', () => {
    const unresolved = files.flatMap((file) => imports.get(file)!.filter((i) => i.specifier.startsWith('.') && !i.target).map((i) => `${rel(file)} -> ${i.specifier}`));
    expect(unresolved).toEqual([]);
  });

  it('lets each floor import only the floors below it', () => {
    const wrong = files.flatMap((file) => imports.get(file)!
      .filter((i) => i.target !== undefined && !MAY_IMPORT[floorOf(file)].includes(floorOf(i.target)))
      .map((i) => `${rel(file)} -> ${rel(i.target!)}`));
    expect(wrong).toEqual([]);
  });

  it('keeps Domain free of packages other than pure hashing and RE2: no @azure/*, durable-functions or node: I/O', () => {
    const packages = files.filter((f) => floorOf(f) === 'Dps.Domain').flatMap((file) => imports.get(file)!
      .filter((i) => !i.specifier.startsWith('.') && !DOMAIN_PACKAGES.includes(i.specifier))
      .map((i) => `${rel(file)} -> ${i.specifier}`));
    expect(packages).toEqual([]);
  });

  it('has no import cycle anywhere under src/', () => {
    const graph = new Map(files.map((file) => [rel(file), imports.get(file)!.flatMap((i) => (i.target ? [rel(i.target)] : []))]));
    expect(findCycle(graph)).toBeUndefined();
  });
});
