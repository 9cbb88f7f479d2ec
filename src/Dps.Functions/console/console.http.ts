import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { notFound } from '../shared/http-responses';
import { ConsoleFile, ConsoleFiles, VENDOR_FILES } from './console-files';

/** Scripts, styles and data come from this app only; nothing may frame the console. */
const PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** A static file, or 304 when the browser already holds this version of it (its `If-None-Match`). */
function answer(request: HttpRequest, file: ConsoleFile | undefined, missing: string, cacheControl: string, extra: Record<string, string> = {}): HttpResponseInit {
  if (!file) return notFound(missing);
  const headers = { 'Content-Type': file.contentType, 'Cache-Control': cacheControl, ETag: file.etag, 'X-Content-Type-Options': 'nosniff', ...extra };
  const held = request.headers.get('if-none-match');
  if (held && held.split(',').some((tag) => tag.trim() === file.etag)) return { status: 304, headers };
  return { status: 200, headers, body: file.body };
}

/**
 * Registers the web console: `GET /api/console` (the page; function key, which the page reads from its
 * own `?code=` and carries to every API call), and its static files `GET /api/console/assets/{path}` and
 * `GET /api/console/vendor/{path}`, anonymous because browsers send no `?code=` with module and
 * stylesheet requests; they hold code, never data.
 */
export function registerConsole(): void {
  const files = new ConsoleFiles();

  app.http('console', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'console',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> =>
      answer(request, await files.page(), 'the console page is missing from this deployment (console/assets/index.html)', 'no-store', { 'Content-Security-Policy': PAGE_POLICY, 'Referrer-Policy': 'no-referrer' }),
  });

  app.http('consoleAssets', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'console/assets/{*path}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const relative = request.params.path ?? '';
      // Cached for five minutes (a view opened in a new tab loads no module again), then revalidated by ETag.
      return answer(request, await files.asset(relative), `no console asset '${relative}' (only .js, .css and .html files of console/assets)`, 'public, max-age=300');
    },
  });

  app.http('consoleVendor', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'console/vendor/{*path}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const relative = request.params.path ?? '';
      return answer(request, await files.vendor(relative), `no console library '${relative}' (served: ${VENDOR_FILES.join(', ')})`, 'public, max-age=86400');
    },
  });
}
