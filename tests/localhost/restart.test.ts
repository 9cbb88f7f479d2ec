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

it('sends an orchestration\'s entity signals once across a restart: the requests re-sent on recovery run once', async () => {
  const state = await startAzurite();
  const hosts: LocalHost[] = [];
  try {
    const boot = async () => {
      const { host } = await startTestHost({ storageConnectionString: state.connectionString });
      hosts.push(host);
      return host;
    };
    const durable = (host: LocalHost, path: string, init?: RequestInit) => fetch(`${host.baseUrl}/runtime/webhooks/durabletask/${path}?code=${TEST_KEY}`, init);
    const tally = async (host: LocalHost) => (await (await fetch(`${host.baseUrl}/api/tally/restarted`)).json()).entityState;
    const first = await boot();
    const { id } = (await (await durable(first, 'orchestrators/entitySignalsAcrossRestart', { method: 'POST', body: '"restarted"' })).json()) as { id: string };
    // Waiting for 'go' means the signal ran and the call was answered before the host stops.
    await eventually(async () => ((await first.engine.history(id)).some((e) => e.EventType === 15 /* EventRaised */) && (await tally(first)) === 1 ? true : undefined));
    await first.stop();

    const second = await boot();
    expect((await durable(second, `instances/${id}/raiseEvent/go`, { method: 'POST', body: '{}' })).status).toBe(202);
    const status = await eventually(async () => {
      const body = await (await durable(second, `instances/${id}`)).json();
      return body.runtimeStatus === 'Completed' ? body : undefined;
    });
    expect(status.output).toBe(2);
    expect(await tally(second)).toBe(2);
  } finally {
    for (const host of hosts.reverse()) await host.stop().catch(() => undefined);
    await state.stop();
  }
});
