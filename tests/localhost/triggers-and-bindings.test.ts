import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from './fixtures/probe';
import { eventually, startTestHost, TEST_KEY } from './fixtures/start-test-host';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import type { createMemoryLogger } from '../../src/Dps.LocalHost/worker/host-logger';

let host: LocalHost;
let logger: ReturnType<typeof createMemoryLogger>;

beforeAll(async () => {
  ({ host, logger } = await startTestHost());
});
afterAll(async () => {
  await host?.stop();
});

describe('HTTP triggers', () => {
  it('routes templates with parameters and query strings to the function', async () => {
    const res = await fetch(`${host.baseUrl}/api/hello/ada?q=42`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ hello: 'ada', q: '42' });
  });

  it('answers 401 without a key or with a wrong one, and runs nothing', async () => {
    const before = logger.entries.filter((e) => e.functionName === 'secret').length;
    expect((await fetch(`${host.baseUrl}/api/secret`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect((await fetch(`${host.baseUrl}/api/secret?code=wrong`, { method: 'POST', body: 'x' })).status).toBe(401);
    expect(logger.entries.filter((e) => e.functionName === 'secret').length).toBe(before);
  });

  it('accepts the key as x-functions-key or ?code=', async () => {
    const viaHeader = await fetch(`${host.baseUrl}/api/secret`, { method: 'POST', body: 'a', headers: { 'x-functions-key': TEST_KEY } });
    expect(viaHeader.status).toBe(201);
    expect(await viaHeader.text()).toBe('got a');
    const viaQuery = await fetch(`${host.baseUrl}/api/secret?code=${TEST_KEY}`, { method: 'POST', body: 'b' });
    expect(await viaQuery.text()).toBe('got b');
  });

  it('answers 404 for unknown routes, 405 for a wrong method, and checks route constraints', async () => {
    expect((await fetch(`${host.baseUrl}/api/nothing-here`)).status).toBe(404);
    expect((await fetch(`${host.baseUrl}/api/hello/ada`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${host.baseUrl}/api/emit/not-a-number`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 400, naming the segment, for malformed percent-encoding in a route parameter', async () => {
    const res = await fetch(`${host.baseUrl}/api/hello/%E0%A4`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "The URL path segment '%E0%A4' has malformed percent-encoding." });
  });

  it('writes one structured log line per invocation', () => {
    const line = logger.lines.find((l) => l.includes('fn=hello'));
    expect(line).toMatch(/OK +fn=hello trigger=httpTrigger id=\w{8} instance=- ms=\d+\.\d/);
  });
});

describe('timer, queue, blob and Event Hubs triggers', () => {
  it('invokes a timer function through the admin API, which needs the key', async () => {
    const before = probe.timerRuns;
    expect((await fetch(`${host.baseUrl}/admin/functions/tick`, { method: 'POST', body: '{}' })).status).toBe(401);
    const res = await fetch(`${host.baseUrl}/admin/functions/tick?code=${TEST_KEY}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(202);
    await eventually(() => (probe.timerRuns > before ? true : undefined));
  });

  it('answers 400 for an admin call to a blob trigger without a blob path, and 404 for a missing blob', async () => {
    const admin = (body: string) => fetch(`${host.baseUrl}/admin/functions/onLanding?code=${TEST_KEY}`, { method: 'POST', body });
    const noPath = await admin('{}');
    expect(noPath.status).toBe(400);
    expect((await noPath.json()).error).toContain("must look like 'container/blob'");
    expect((await admin(JSON.stringify({ input: 'landing/none/missing.csv' }))).status).toBe(404);
  });

  it('moves a message that fails five times to the poison queue', async () => {
    const queue = host.storage.queues.getQueueClient('work-items');
    await queue.createIfNotExists();
    await queue.sendMessage(Buffer.from(JSON.stringify({ job: 7 })).toString('base64'));
    const poison = host.storage.queues.getQueueClient('work-items-poison');
    const moved = await eventually(async () => {
      if (!(await poison.exists())) return undefined;
      const peeked = await poison.peekMessages();
      return peeked.peekedMessageItems[0];
    }, 20_000);
    expect(JSON.parse(Buffer.from(moved.messageText, 'base64').toString('utf8'))).toEqual({ job: 7 });
    expect(probe.queueAttempts.get(JSON.stringify({ job: 7 }))).toBe(5);
    expect((await queue.peekMessages()).peekedMessageItems).toHaveLength(0);
  });

  it('fires a blob trigger once per blob with the path parts as metadata', async () => {
    const container = host.storage.blobs.getContainerClient('landing');
    await container.createIfNotExists();
    await container.getBlockBlobClient('sales/jan.csv').upload('a,b\n1,2\n', 8);
    const seen = await eventually(() => probe.blobs.find((b) => b.name === 'jan.csv'));
    expect(seen).toEqual({ name: 'jan.csv', dataset: 'sales', text: 'a,b\n1,2\n' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(probe.blobs.filter((b) => b.name === 'jan.csv')).toHaveLength(1);
  });

  it('hands an SDK-type blob trigger (sdkBinding) a reference to the blob, not its content, from a scan and from the admin API', async () => {
    const container = host.storage.blobs.getContainerClient('references');
    await container.createIfNotExists();
    await container.getBlockBlobClient('big.csv').upload('x'.repeat(1000), 1000);
    const reference = { source: 'AzureStorageBlobs', reference: { Connection: 'AzureWebJobsStorage', ContainerName: 'references', BlobName: 'big.csv' } };
    expect((await eventually(() => probe.blobReferences.find((b) => b.name === 'big.csv'))).received).toEqual(reference);
    const res = await fetch(`${host.baseUrl}/admin/functions/onReference?code=${TEST_KEY}`, { method: 'POST', body: JSON.stringify({ input: 'references/big.csv' }) });
    expect(res.status).toBe(202);
    await eventually(() => (probe.blobReferences.length === 2 ? true : undefined));
    expect(probe.blobReferences.map((b) => b.received)).toEqual([reference, reference]);
  });

  it('delivers eventHub output events to an Event Hubs trigger as a batch', async () => {
    const res = await fetch(`${host.baseUrl}/api/emit/5`, { method: 'POST' });
    expect(res.status).toBe(202);
    const batch = await eventually(() => probe.hubBatches.find((b) => b.length === 5));
    expect(batch).toEqual([0, 1, 2, 3, 4].map((i) => ({ i })));
  });
});
