import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestHost, TEST_KEY } from './fixtures/start-test-host';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';

let host: LocalHost;
const api = (path: string) => `${host.baseUrl}/runtime/webhooks/durabletask/${path}?code=${TEST_KEY}`;

beforeAll(async () => {
  ({ host } = await startTestHost({ finishedInstanceRetentionMs: 1500 }));
});
afterAll(async () => {
  await host?.stop();
});

it('purges finished instances once they are older than the retention, and keeps running ones', async () => {
  const done = ((await (await fetch(api('orchestrators/chain'), { method: 'POST' })).json()) as { id: string }).id;
  const waiting = ((await (await fetch(api('orchestrators/approval'), { method: 'POST' })).json()) as { id: string }).id;
  await eventually(async () => ((await fetch(api(`instances/${done}`))).status === 200 ? true : undefined));
  await eventually(async () => ((await fetch(api(`instances/${done}`))).status === 404 ? true : undefined), 10_000);
  expect((await fetch(api(`instances/${waiting}`))).status).toBe(202);
});
