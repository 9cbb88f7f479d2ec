import { afterAll, expect, it } from 'vitest';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { startApp } from './fixtures/app-host';

let current: LocalHost | undefined;
afterAll(async () => {
  await current?.stop();
});

const contract = (dataset: string) => JSON.stringify({ contractVersion: 1, dataset, columns: [{ name: 'a', type: 'integer' }] });

// `dps run` starts a local host with its own storage emulator on each call; called twice in one
// process (tests, or a tool embedding the CLI) the app modules stay loaded and must follow the new
// storage instead of the first host's, which is gone.
it('serves from the new storage when the app is hosted again in the same process', async () => {
  const first = await startApp();
  current = first.host;
  expect((await first.call('PUT', 'datasets/one/contract', contract('one'))).status).toBe(200);
  await first.host.stop();
  current = undefined;

  const second = await startApp();
  current = second.host;
  const put = await second.call('PUT', 'datasets/two/contract', contract('two'));
  expect(put.status, await put.clone().text()).toBe(200);
  expect((await second.call('GET', 'datasets/two/contract')).status).toBe(200);
  // Fresh storage: nothing of the first host's data.
  expect((await second.call('GET', 'datasets/one/contract')).status).toBe(404);
});
