import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { startTestHost } from './fixtures/start-test-host';

let host: LocalHost;

beforeAll(async () => {
  ({ host } = await startTestHost());
});
afterAll(async () => {
  await host?.stop();
});

function get(url: string, agent: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** Runs `work` inside an I/O callback (an incoming request), as the host runs an activity. */
function inIoCallback<T>(work: () => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const server = http.createServer((_req, res) => {
      work().then(resolve, reject);
      res.end();
    });
    server.listen(0, '127.0.0.1', () => {
      http.get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { agent: false }, (res) => res.resume().on('end', () => server.close()));
    });
  });
}

// A training trial runs in the host's process and can hold the event loop for many seconds. A
// keep-alive socket left idle across such a block must still serve the next request: with Node's
// default 5 s server keep-alive timeout the server closed it just after the client had written the
// next request on it (ECONNRESET in the durable client, which `dps run` reported as "no pipeline run").
it('serves a reused keep-alive connection right after the event loop was blocked for 6.5 s', async () => {
  const agent = new http.Agent({ keepAlive: true, timeout: 5_000 });
  try {
    expect((await get(`${host.baseUrl}/api/hello/ada`, agent)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the socket is back in the agent's pool
    const again = await inIoCallback(() => {
      const until = Date.now() + 6_500;
      while (Date.now() < until) {
        // busy: what a CPU-bound activity does to the loop
      }
      return get(`${host.baseUrl}/api/hello/bob`, agent);
    });
    expect(again).toEqual({ status: 200, body: JSON.stringify({ hello: 'bob', q: null }) });
  } finally {
    agent.destroy();
  }
});
