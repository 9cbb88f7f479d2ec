import http, { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegisteredFunction } from '../worker/core-api';
import type { RpcHttpData } from '../worker/core-types';
import type { HostLogger } from '../worker/host-logger';
import { keyMatches } from './function-keys';
import { compileRoute, decodePathSegment, RouteMatcher } from './route-template';

/** An HTTP-triggered function with its compiled route. */
export interface HttpRoute {
  fn: RegisteredFunction;
  matcher: RouteMatcher;
  methods: string[];
  authLevel: string;
  literalSegments: number;
}

/** A plain answer to write out. */
export interface PlainResponse {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string | unknown;
}

/** What the server delegates to the host. */
export interface HttpHandlers {
  invokeHttp(route: HttpRoute, request: RpcHttpData, params: Record<string, string>): Promise<PlainResponse>;
  invokeAdmin(functionName: string, body: string): Promise<PlainResponse>;
  durable(method: string, path: string, query: URLSearchParams, body: string): Promise<PlainResponse>;
  status(): PlainResponse;
}

/** How many request-body bytes the host reads, at most (anything larger is answered 413 unread). */
export interface BodyLimits {
  /** Function routes with a key, the admin API and the Durable webhooks. */
  maxBytes: number;
  /** Anonymous function routes: nobody has proven who they are, so they get little or nothing. */
  anonymousMaxBytes: number;
}

/** Azure's default request size limit (FUNCTIONS_REQUEST_BODY_SIZE_LIMIT raises it). */
export const DEFAULT_MAX_BODY_BYTES = 100 * 1024 * 1024;

/** Methods whose body has no meaning (RFC 9110): the host never reads one, so it costs nothing. */
const BODILESS_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Thrown when a body is over its limit; the answer closes the connection instead of reading the rest. */
class BodyTooLarge extends Error {
  readonly status = 413;
}

/** Builds the HTTP routes of the registered functions, most specific first. */
export function buildRoutes(functions: RegisteredFunction[], routePrefix: string): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of functions) {
    const trigger = Object.values(fn.metadata.bindings).find((b) => String(b.type).toLowerCase() === 'httptrigger');
    if (!trigger) continue;
    const route = String(trigger.route ?? fn.metadata.name);
    const full = [routePrefix, route].filter((s) => s.length > 0).join('/');
    routes.push({
      fn,
      matcher: compileRoute(full),
      methods: ((trigger.methods as string[] | undefined) ?? ['GET', 'POST']).map((m) => m.toUpperCase()),
      authLevel: String(trigger.authLevel ?? 'function').toLowerCase(),
      literalSegments: full.split('/').filter((s) => s && !s.startsWith('{')).length,
    });
  }
  return routes.sort((a, b) => b.literalSegments - a.literalSegments);
}

function send(res: ServerResponse, response: PlainResponse): void {
  const headers = { ...(response.headers ?? {}) };
  let body: Buffer | undefined;
  if (Buffer.isBuffer(response.body)) body = response.body;
  else if (typeof response.body === 'string') body = Buffer.from(response.body);
  else if (response.body !== undefined) {
    body = Buffer.from(JSON.stringify(response.body));
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(response.status, headers);
  res.end(body);
}

function tooLarge(limit: number, size: string): BodyTooLarge {
  const rule = limit === 0 ? 'this route takes no request body' : `the limit is ${limit} bytes`;
  return new BodyTooLarge(`Request body of ${size} is too large: ${rule}; upload large files to the landing container instead.`);
}

/**
 * Reads a request body of at most `limit` bytes. A declared Content-Length over the limit is refused
 * before a byte is read; a streamed body stops being read (and buffered) the moment it passes the limit.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) return Promise.reject(tooLarge(limit, `${declared} bytes`));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      chunks.length = 0;
      reject(tooLarge(limit, `more than ${limit} bytes`));
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function presentedKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-functions-key'];
  return (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('code') ?? undefined;
}

const unauthorized: PlainResponse = { status: 401, body: { error: 'Unauthorized: send the function key as x-functions-key or ?code=.' } };

/**
 * The host's HTTP front door on 127.0.0.1: function routes under the route prefix with key auth,
 * the admin API, and the Durable webhooks. The same handlers, without the key, serve the worker's
 * Durable RPC endpoint on a second loopback port.
 */
export class HostHttpServer {
  private server: http.Server | undefined;
  private rpcServer: http.Server | undefined;

  constructor(
    private readonly routes: HttpRoute[],
    private readonly key: string,
    private readonly handlers: HttpHandlers,
    private readonly logger: HostLogger,
    private readonly limits: BodyLimits = { maxBytes: DEFAULT_MAX_BODY_BYTES, anonymousMaxBytes: DEFAULT_MAX_BODY_BYTES },
  ) {}

  /** Listens on the public port (0 = any free port) and a free RPC port; returns both ports. */
  async listen(port: number): Promise<{ port: number; rpcPort: number }> {
    this.server = http.createServer((req, res) => void this.serve(req, res, false));
    this.rpcServer = http.createServer((req, res) => void this.serve(req, res, true));
    // Activities run in this process, and a CPU-bound one (a training trial) can hold the event loop for
    // longer than Node's 5 s keep-alive timeout. The server then closes idle sockets the moment the loop
    // is free, racing clients that reuse them (ECONNRESET, seen as a failed status poll). Leave closing
    // idle sockets to the clients (Node's agent after 5 s, fetch after 4 s); close() still ends them all.
    this.server.keepAliveTimeout = 0;
    this.rpcServer.keepAliveTimeout = 0;
    const listen = (server: http.Server, p: number) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', (error: NodeJS.ErrnoException) =>
          reject(error.code === 'EADDRINUSE' ? new Error(`port ${p} on 127.0.0.1 is already in use (another host running?); choose another port`) : error));
        server.listen(p, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      });
    return { port: await listen(this.server, port), rpcPort: await listen(this.rpcServer, 0) };
  }

  /** Closes both servers. */
  async close(): Promise<void> {
    const close = (server: http.Server | undefined) =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    await Promise.all([close(this.server), close(this.rpcServer)]);
  }

  private async serve(req: IncomingMessage, res: ServerResponse, internal: boolean): Promise<void> {
    try {
      send(res, await this.dispatch(req, internal));
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      if (status === 500) this.logger.host(`HTTP ${req.method} ${req.url}: ${(error as Error).message}`);
      // An unread body is not drained: the answer closes the connection (clients still read the 413 first).
      const headers: Record<string, string> | undefined = error instanceof BodyTooLarge ? { Connection: 'close' } : undefined;
      if (!res.headersSent) send(res, { status, headers, body: { error: status === 500 ? 'Internal error in the local host; see its log.' : (error as Error).message } });
    }
  }

  private async dispatch(req: IncomingMessage, internal: boolean): Promise<PlainResponse> {
    // The host's own address, never the Host header: a caller must not choose the origin of links built from the URL.
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${req.socket.localPort}`);
    const method = (req.method ?? 'GET').toUpperCase();
    const authorized = internal || keyMatches(presentedKey(req, url), this.key);
    if (internal) {
      if (!url.pathname.startsWith('/durabletask/')) return { status: 404 };
      return this.handlers.durable(method, url.pathname.slice('/durabletask/'.length), url.searchParams, (await readBody(req, this.limits.maxBytes)).toString('utf8'));
    }
    if (url.pathname.startsWith('/runtime/webhooks/durabletask/')) {
      if (!authorized) return unauthorized;
      const rest = url.pathname.slice('/runtime/webhooks/durabletask/'.length);
      return this.handlers.durable(method, rest, url.searchParams, (await readBody(req, this.limits.maxBytes)).toString('utf8'));
    }
    const admin = /^\/admin\/functions\/([^/]+)\/?$/.exec(url.pathname);
    if (admin && method === 'POST') {
      if (!authorized) return unauthorized;
      return this.handlers.invokeAdmin(decodePathSegment(admin[1]), (await readBody(req, this.limits.maxBytes)).toString('utf8'));
    }
    if (url.pathname === '/admin/host/status') return authorized ? this.handlers.status() : unauthorized;
    let methodMismatch = false;
    for (const route of this.routes) {
      const params = route.matcher.match(url.pathname);
      if (!params) continue;
      if (!route.methods.includes(method)) {
        methodMismatch = true;
        continue;
      }
      if (route.authLevel !== 'anonymous' && !authorized) return unauthorized;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const anonymous = route.authLevel === 'anonymous';
      const body = BODILESS_METHODS.has(method) ? Buffer.alloc(0) : await readBody(req, anonymous ? this.limits.anonymousMaxBytes : this.limits.maxBytes);
      const request: RpcHttpData = {
        method,
        url: url.toString(),
        headers,
        query: Object.fromEntries(url.searchParams.entries()),
        params,
        body: body.length > 0 ? { bytes: body } : undefined,
      };
      return this.handlers.invokeHttp(route, request, params);
    }
    return methodMismatch ? { status: 405, body: { error: `Method ${method} not allowed for ${url.pathname}.` } } : { status: 404, body: { error: `No function serves ${url.pathname}.` } };
  }
}
