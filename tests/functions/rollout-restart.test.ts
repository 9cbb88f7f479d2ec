import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { AzuriteHandle, startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { createMemoryLogger } from '../../src/Dps.LocalHost/worker/host-logger';
import { eventually, KEY, sampleCsv } from './fixtures/app-host';
import { SERVING_SETTINGS, labelledRows } from './fixtures/serving-fixture';

const root = path.resolve(__dirname, '..', '..');
let storage: AzuriteHandle | undefined;
let host: LocalHost | undefined;

/** The app on storage that outlives it, so a second host finds what the first one left. */
async function start(): Promise<LocalHost> {
  storage ??= await startAzurite();
  return LocalHost.start({
    storageConnectionString: storage.connectionString,
    appEntry: path.join(root, 'src', 'Dps.Functions', 'index.ts'), hostJsonPath: path.join(root, 'host.json'), port: 0, functionKey: KEY,
    logger: createMemoryLogger(), blobPollIntervalMs: 100,
    settings: { DPS_TASK_HUB: 'testhub', DPS_AUDIT_HUB: 'audit', DPS_TELEMETRY_HUB: 'telemetry', DPS_FINOPS_SCHEDULE: '0 0 0 1 1 *', ...SERVING_SETTINGS },
  });
}

const call = async (method: string, route: string, body?: unknown): Promise<any> => {
  const response = await fetch(`${host!.baseUrl}/api/${route}${route.includes('?') ? '&' : '?'}code=${KEY}`, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  return response.json();
};

async function ingest(csv: string): Promise<any> {
  const submitted = await call('POST', 'datasets/resume/ingest?label=churned', csv);
  return eventually(async () => {
    const status = await call('GET', `pipelines/${submitted.instanceId}`);
    return ['Completed', 'Failed'].includes(status.runtimeStatus) ? status : undefined;
  }, 90_000);
}

let customer = 800_000;
async function traffic(): Promise<void> {
  const rows = labelledRows(40, customer, 0, customer).map((s) => s.row);
  customer += 40;
  const answer = await call('POST', 'models/resume/predict', { rows });
  expect(answer.predictions).toHaveLength(40);
}

afterAll(async () => {
  await host?.stop();
  await storage?.stop();
});

it('resumes a rollout at the same step after a host restart, with the counters counted before it', { timeout: 240_000 }, async () => {
  host = await start();
  expect((await ingest(sampleCsv(800, 1))).model.version).toBe(1);
  expect((await ingest(sampleCsv(800, 2, 0, 100_000))).model.version).toBe(2);
  // Soft gates relaxed: this test is about resuming, not judging.
  const plan = { steps: [50, 100], bakeSeconds: 1, minSamples: 60, thresholds: { latencySlackMs: 50, maxPredictionPsi: 100, minAgreement: 0 } };
  expect((await call('POST', 'models/resume/rollout', plan)).instanceId).toBe('rollout-resume');
  await eventually(async () => ((await call('GET', 'models/resume/rollout')).status === 'running' ? true : undefined));
  // Some of the samples the step needs, then a restart.
  await traffic();
  const samples = (s: any): number => Number(/(\d+) of 60 samples/.exec(s.reason)?.[1] ?? -1);
  const before = await eventually(async () => {
    const s = await call('GET', 'models/resume/rollout');
    return samples(s) > 0 ? s : undefined;
  });
  expect(before).toMatchObject({ status: 'running', step: 1 });
  await host.stop();
  host = await start();
  const after = await call('GET', 'models/resume/rollout');
  expect(after).toMatchObject({ status: 'running', step: 1, stepStartedAt: before.stepStartedAt });
  // The resumed orchestration reads the same counters: its next look counts at least as many samples.
  const looked = await eventually(async () => {
    const s = await call('GET', 'models/resume/rollout');
    return s.updatedAt > before.updatedAt ? s : undefined;
  }, 30_000);
  expect(samples(looked)).toBeGreaterThanOrEqual(samples(before));
  const moved = await eventually(async () => {
    await traffic();
    const s = await call('GET', 'models/resume/rollout');
    return s.step === 2 || s.status !== 'running' ? s : undefined;
  }, 60_000, 200);
  expect(moved).toMatchObject({ status: 'running', step: 2, weights: { challenger: 100, champion: 0 } });
  // End it, so the host stops with no timer pending.
  await call('POST', 'models/resume/rollout/abort', {});
  await eventually(async () => ((await call('GET', 'models/resume/rollout')).status === 'aborted' ? true : undefined), 20_000);
});
