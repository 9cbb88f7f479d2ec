import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ DPS_TRAINING_TRIALS: '2', DPS_ROLLOUT_AUTO: 'false' });
}, 60_000);
afterAll(async () => {
  await app?.host.stop();
});

it('compares each landed batch of a dataset with a champion against the champion training data, the verdict in the run result', async () => {
  const first = await app.ingest('drifting', sampleCsv(1200, 1), '?label=churned');
  expectAccepted(first);
  // The first batch has no champion to compare with: no drift stage at all.
  expect(first.stages.map((s: { name: string }) => s.name)).not.toContain('drift');
  expect(first.drift).toBeUndefined();

  const drifted = await app.ingest('drifting', sampleCsv(1200, 2, 0.8, 100_000));
  expectAccepted(drifted);
  const stage = drifted.stages.find((s: { name: string }) => s.name === 'drift');
  expect(stage).toMatchObject({ status: 'succeeded' });
  expect(stage.detail).toMatch(/^drift against v1: \d+ of \d+ features drifted$/);
  expect(drifted.stages.map((s: { name: string }) => s.name)).toEqual(['contract', 'validate', 'profile', 'drift', 'train']);
  expect(drifted.drift).toMatchObject({ status: 'compared', model: 'drifting', version: 1, rows: 1200, datasetDrift: true });
  const names = drifted.drift.features.filter((f: { drift: boolean }) => f.drift).map((f: { name: string }) => f.name);
  expect(names).toEqual(expect.arrayContaining(['age', 'plan', 'support_calls']));
  // Large references get distances (Evidently's rule): Wasserstein for numbers, Jensen-Shannon for categories.
  const methods = Object.fromEntries(drifted.drift.features.map((f: { name: string; method: string }) => [f.name, f.method]));
  expect(methods).toMatchObject({ age: 'wasserstein', plan: 'jensenshannon' });

  const clean = await app.ingest('drifting', sampleCsv(1200, 3, 0, 200_000));
  expectAccepted(clean);
  expect(clean.drift).toMatchObject({ version: 1, datasetDrift: false });
}, 120_000);
