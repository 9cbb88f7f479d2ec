import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A static file of the console, ready to answer. */
export interface ConsoleFile {
  body: Buffer;
  contentType: string;
  /** A strong validator of the body, so a browser revalidates an expired file with a 304. */
  etag: string;
}

/** Where the page lists its module preloads (index.html). */
const PRELOAD_MARK = '<!-- modulepreload -->';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The only package files served under `console/vendor/`: the UI and chart libraries the assets import. */
export const VENDOR_FILES = ['htm/preact/standalone.mjs', 'uplot/dist/uPlot.esm.js', 'uplot/dist/uPlot.min.css'] as const;

/**
 * The assets folder: next to this module when the app runs from its TypeScript sources or from a
 * package that copied it, else in the source tree beside `dist/` (tsc compiles scripts, not assets).
 */
function assetsRoot(): string {
  const candidates = [path.join(__dirname, 'assets'), path.resolve(__dirname, '..', '..', '..', '..', 'src', 'Dps.Functions', 'console', 'assets')];
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[0];
}

/** The first `node_modules/{file}` found walking up from this module (the package's own tree, in Azure too). */
function vendorPath(file: string): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', file);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * Reads the console's static files; a request path that is not one of them (another extension, `..`,
 * a vendor file off the list) is `undefined`, never a read outside the folder. Files are cached: they
 * only change with a deployment.
 */
export class ConsoleFiles {
  private readonly cache = new Map<string, Promise<ConsoleFile | undefined>>();
  private readonly root = assetsRoot();

  private pageFile?: Promise<ConsoleFile | undefined>;

  /**
   * The page itself (`index.html`) with a `modulepreload` link for every module of the console and its
   * libraries: the browser then fetches them all at once instead of one import level after another.
   */
  page(): Promise<ConsoleFile | undefined> {
    this.pageFile ??= Promise.all([this.asset('index.html'), this.modules()]).then(([file, modules]) => {
      if (!file) return undefined;
      const page = file.body.toString('utf8');
      // Modules the page already names (the prefetch and its imports, requested first) are not listed again.
      const links = modules.filter((href) => !page.includes(`"${href}"`)).map((href) => `<link rel="modulepreload" href="${href}">`).join('\n  ');
      const body = Buffer.from(page.replace(PRELOAD_MARK, links));
      return { ...file, body, etag: etagOf(body) };
    });
    return this.pageFile;
  }

  /** The page-relative URLs of every script module the console loads: its assets and the vendored libraries. */
  private async modules(): Promise<string[]> {
    const assets = (await readdir(this.root, { recursive: true })).map((f) => f.split(path.sep).join('/')).filter((f) => f.endsWith('.js')).sort();
    const vendor = VENDOR_FILES.filter((f) => /\.m?js$/.test(f));
    return [...assets.map((f) => `console/assets/${f}`), ...vendor.map((f) => `console/vendor/${f}`)];
  }

  /** A file of the assets folder by its relative path (`views/runs.js`). */
  asset(relative: string): Promise<ConsoleFile | undefined> {
    const normalized = path.posix.normalize(relative);
    if (normalized.startsWith('..') || path.posix.isAbsolute(normalized) || relative.includes('\\')) return Promise.resolve(undefined);
    const full = path.join(this.root, normalized);
    if (!full.startsWith(this.root + path.sep)) return Promise.resolve(undefined);
    return this.read(full);
  }

  /** One of `VENDOR_FILES` from node_modules. */
  vendor(relative: string): Promise<ConsoleFile | undefined> {
    if (!(VENDOR_FILES as readonly string[]).includes(relative)) return Promise.resolve(undefined);
    const full = vendorPath(relative);
    return full ? this.read(full) : Promise.resolve(undefined);
  }

  private read(full: string): Promise<ConsoleFile | undefined> {
    const contentType = CONTENT_TYPES[path.extname(full).toLowerCase()];
    if (!contentType) return Promise.resolve(undefined);
    let file = this.cache.get(full);
    if (!file) {
      file = readFile(full).then(
        (body) => ({ body, contentType, etag: etagOf(body) }),
        () => undefined,
      );
      this.cache.set(full, file);
    }
    return file;
  }
}

/** A quoted strong ETag from the content. */
function etagOf(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
}
