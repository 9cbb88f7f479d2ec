import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliver } from '../../src/Dps.Functions/lineage/openlineage-endpoint';

let server: Server | undefined;

/** A local endpoint answering each POST with the next status of `statuses` (the last one repeats); returns its URL and what it received. */
async function endpoint(statuses: number[]): Promise<{ url: string; received: Array<{ body: string; authorization?: string }> }> {
  const received: Array<{ body: string; authorization?: string }> = [];
  server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    received.push({ body, authorization: request.headers.authorization });
    response.writeHead(statuses[Math.min(received.length - 1, statuses.length - 1)]).end('busy');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/lineage`, received };
}

afterEach(() => {
  server?.close();
  server = undefined;
});

describe('delivery to the OpenLineage endpoint', () => {
  it('POSTs the event as JSON with the API key as a Bearer token', async () => {
    const { url, received } = await endpoint([201]);
    expect(await deliver({ url, apiKey: 'k1' }, '{"eventType":"START"}')).toEqual({ delivered: true, attempts: 1 });
    expect(received).toEqual([{ body: '{"eventType":"START"}', authorization: 'Bearer k1' }]);
  });

  it('sends no Authorization header without a key', async () => {
    const { url, received } = await endpoint([200]);
    await deliver({ url, apiKey: '' }, '{}');
    expect(received[0].authorization).toBeUndefined();
  });

  it('tries again after a server error and delivers', async () => {
    const { url, received } = await endpoint([503, 201]);
    expect(await deliver({ url, apiKey: '' }, '{}')).toEqual({ delivered: true, attempts: 2 });
    expect(received).toHaveLength(2);
  });

  it('takes a refusal (400) as final, saying why, without throwing', async () => {
    const { url, received } = await endpoint([400]);
    expect(await deliver({ url, apiKey: '' }, '{}')).toEqual({ delivered: false, attempts: 1, reason: 'HTTP 400: busy' });
    expect(received).toHaveLength(1);
  });

  it('gives up on an endpoint that is not there after three tries, without throwing', async () => {
    const { url } = await endpoint([200]);
    server!.close();
    await once(server!, 'close');
    const delivery = await deliver({ url, apiKey: '' }, '{}');
    expect(delivery).toMatchObject({ delivered: false, attempts: 3 });
  });
});
