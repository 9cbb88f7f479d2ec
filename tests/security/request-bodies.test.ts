import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, startApp } from '../functions/fixtures/app-host';
import { rawRequest } from './raw-http';

// The probes of issue 15 item 2, through the local host with the app's real registrations:
// anonymous routes read no body, and a body over the limit is answered 413 before it is read.
const LIMIT = 1024 * 1024;
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: String(LIMIT) });
});
afterAll(async () => {
  await app?.host.stop();
});

/** A request head declaring `length` body bytes that the probe never sends. */
const declaring = (method: string, path: string, length: number) => `${method} ${path} HTTP/1.1\nHost: probe\nContent-Type: text/csv\nContent-Length: ${length}`;

describe('request bodies', () => {
  it('anonymous health answers without reading a declared 99 MB body', async () => {
    const answer = await rawRequest(app.host.baseUrl, declaring('GET', '/api/health', 99 * 1024 * 1024));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ storage: { reachable: true } });
  });

  it('a POST to anonymous health is a 405, its body unread', async () => {
    const answer = await rawRequest(app.host.baseUrl, declaring('POST', '/api/health', 99 * 1024 * 1024));
    expect(answer.status).toBe(405);
  });

  it('a declared body over the limit is a 413 before any of it is sent, and the connection is closed', async () => {
    const answer = await rawRequest(app.host.baseUrl, declaring('POST', `/api/datasets/probe/ingest?code=${KEY}`, LIMIT + 1));
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe('close');
    expect(JSON.parse(answer.body).error).toBe(`Request body of ${LIMIT + 1} bytes is too large: the limit is ${LIMIT} bytes; upload large files to the landing container instead.`);
  });

  it('a streamed body is answered 413 as soon as it passes the limit, while the client is still sending', async () => {
    let sent = 0;
    const piece = Buffer.alloc(64 * 1024, 'a');
    const chunk = `${piece.length.toString(16)}\r\n${piece.toString('latin1')}\r\n`;
    const stream = (socket: net.Socket) => {
      // Sends a chunk whenever the socket drains; never ends, so only an early answer resolves the probe.
      const pump = () => {
        while (!socket.destroyed && socket.write(chunk)) sent += piece.length;
        if (!socket.destroyed) socket.once('drain', pump);
      };
      pump();
    };
    const answer = await rawRequest(app.host.baseUrl, `POST /api/datasets/probe/ingest?code=${KEY} HTTP/1.1\nHost: probe\nTransfer-Encoding: chunked`, stream);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toContain(`more than ${LIMIT} bytes`);
    expect(sent).toBeGreaterThan(LIMIT);
  });

  it('a body within the limit is read and handed to the function', async () => {
    const res = await app.call('POST', 'datasets/probe-ok/ingest', 'id,x\n1,2\n');
    expect(res.status).toBe(202);
  });

  it('a probe without the key is a 401 and its declared body is not read', async () => {
    const answer = await rawRequest(app.host.baseUrl, declaring('POST', '/api/datasets/probe/ingest', 50 * 1024 * 1024));
    expect(answer.status).toBe(401);
  });
});
