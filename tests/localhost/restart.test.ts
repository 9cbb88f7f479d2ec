import { afterAll, expect, it } from 'vitest';
import { probe } from './fixtures/probe';
import { eventually, startTestHost, TEST_KEY } from './fixtures/start-test-host';
import { AzuriteHandle, startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';

let storage: AzuriteHandle | undefined;
let second: LocalHost | undefined;

afterAll(async () => {
  await second?.stop();
  await storage?.stop();
});

it('resumes an in-flight orchestration after a restart without re-running completed activities', async () => {
  storage = await startAzurite();
  const first = (await startTestHost({ storageConnectionString: storage.connectionString })).host;
  let releaseOld!: () => void;
  probe.gate = new Promise<void>((resolve) => (releaseOld = resolve));
  const res = await fetch(`${first.baseUrl}/runtime/webhooks/durabletask/orchestrators/restartable?code=${TEST_KEY}`, { method: 'POST' });
  const { id } = (await res.json()) as { id: string };
  await eventually(() => (probe.activityRuns.get('slow') === 1 ? true : undefined));
  expect(probe.activityRuns.get('echo')).toBe(1);

  await first.stop();
  probe.gate = undefined;
  releaseOld();

  second = (await startTestHost({ storageConnectionString: storage.connectionString })).host;
  const status = await eventually(async () => {
    const r = await fetch(`${second!.baseUrl}/runtime/webhooks/durabletask/instances/${id}?code=${TEST_KEY}`);
    return r.status === 200 ? r.json() : undefined;
  });
  expect(status).toMatchObject({ runtimeStatus: 'Completed', output: ['first', 'second'] });
  expect(probe.activityRuns.get('echo')).toBe(1);
  expect(probe.activityRuns.get('slow')).toBe(2);
});
