import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;
let base: string;

beforeAll(async () => {
  app = await startApp();
  base = `${app.host.baseUrl}/api/`;
});
afterAll(async () => {
  await app?.host.stop();
});

/** The relative module and stylesheet references of a served file, resolved against its URL. */
function references(url: string, text: string): string[] {
  const found = [
    ...text.matchAll(/\bfrom\s+'([^']+)'/g),
    ...text.matchAll(/\bimport\s+'([^']+)'/g),
    ...text.matchAll(/new URL\('([^']+)', import\.meta\.url\)/g),
    ...text.matchAll(/\b(?:src|href)="([^"#:]+)"/g),
  ].map((m) => m[1]);
  return found.filter((ref) => /\.(m?js|css)$/.test(ref) && (ref.startsWith('.') || ref.startsWith('console/'))).map((ref) => new URL(ref, url).toString());
}

describe('GET /api/console', () => {
  it('asks for the function key, then serves the page with a same-origin content policy', async () => {
    expect((await fetch(`${base}console`)).status).toBe(401);
    const res = await fetch(`${base}console?code=${KEY}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const page = await res.text();
    expect(page).toContain('console/assets/app.js');
  });

  it('serves every module and stylesheet the page reaches, without a key, with its content type', async () => {
    const pageUrl = `${base}console`;
    const queue = references(pageUrl, await (await fetch(`${pageUrl}?code=${KEY}`)).text());
    const seen = new Set<string>();
    while (queue.length > 0) {
      const url = queue.shift()!;
      if (seen.has(url)) continue;
      seen.add(url);
      const res = await fetch(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toMatch(url.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
      if (!url.endsWith('.css')) queue.push(...references(url, await res.text()));
    }
    const paths = [...seen].map((url) => new URL(url).pathname);
    // The page names every module the imports reach once, as a script or a preload, so none waits for its importer to load.
    const page = await (await fetch(`${pageUrl}?code=${KEY}`)).text();
    const named = [...page.matchAll(/<link rel="modulepreload" href="([^"]+)">|<script type="module"[^>]* src="([^"]+)">/g)].map((m) => new URL(m[1] ?? m[2], pageUrl).pathname);
    expect(named.sort()).toEqual(paths.filter((p) => /\.m?js$/.test(p)).sort());
    expect(paths).toEqual(expect.arrayContaining([
      '/api/console/assets/app.js', '/api/console/assets/views/overview.js', '/api/console/assets/console.css',
      '/api/console/vendor/htm/preact/standalone.mjs', '/api/console/vendor/uplot/dist/uPlot.esm.js', '/api/console/vendor/uplot/dist/uPlot.min.css',
    ]));
  });

  it('answers 304 to a browser that holds the current version of a file, 200 with the body otherwise', async () => {
    const url = `${base}console/assets/app.js`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const body = await first.text();
    const again = await fetch(url, { headers: { 'If-None-Match': etag! } });
    expect([again.status, again.headers.get('etag'), await again.text()]).toEqual([304, etag, '']);
    const stale = await fetch(url, { headers: { 'If-None-Match': '"an-older-version"' } });
    expect([stale.status, await stale.text()]).toEqual([200, body]);
  });

  it('serves nothing outside its assets and the listed libraries', async () => {
    // Encoded dots and slashes reach the function as `..` segments (a client normalises plain ones away).
    for (const route of [
      'console/assets/README.md', 'console/assets/..%2F..%2Fsettings.ts',
      'console/assets/views%2F..%2F..%2Fconsole.http.ts', 'console/vendor/uplot/package.json', 'console/vendor/htm/dist/htm.js',
      'console/vendor/uplot%2F..%2F..%2Fpackage.json',
    ]) {
      const res = await fetch(`${base}${route}`);
      expect(res.status, route).toBe(404);
      expect((await res.json()).error, route).toMatch(/^no console/);
    }
  });
});
