import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ DPS_TRAINING_TRIALS: '3' });
});
afterAll(async () => {
  await app?.host.stop();
});

it('trains on a labelled batch, evaluates on an uploaded test set, and registers champion then challenger', async () => {
  const test = await (await app.call('POST', 'datasets/churn/testsets', sampleCsv(300, 21, 0, 900_000))).json();
  expect(test.sha256).toMatch(/^[0-9a-f]{64}$/);
  const first = await app.ingest('churn', sampleCsv(1200, 1), `?label=churned&test=${test.sha256}`);
  expectAccepted(first);
  expect(first.stages.map((s: { name: string }) => s.name)).toEqual(['contract', 'validate', 'profile', 'test-set', 'train']);
  expect(first.model).toMatchObject({ name: 'churn', version: 1, alias: 'champion', trials: 3, evaluation: { kind: 'test-set', rows: first.testSet.rows.accepted } });
  expect(first.model.metrics.auc).toBeGreaterThan(0.75);
  expect(first.model.metrics.auc).toBeGreaterThan(first.model.baseline.auc - 0.05);

  const second = await app.ingest('churn', sampleCsv(1200, 2, 0, 100_000), `?test=${test.sha256}`);
  expectAccepted(second);
  expect(second.model).toMatchObject({ version: 2, alias: 'challenger' });

  const model = await (await app.call('GET', 'models/churn')).json();
  expect(model.aliases.champion.version).toBe(1);
  expect(model.aliases.challenger.version).toBe(2);
  expect(model.aliases.challenger.comparison).toMatchObject({ against: 1, metric: 'auc', sameEvaluationSet: true });
  expect(model.versions[1].lineage).toMatchObject({ dataset: 'churn', contractRevision: 1, trials: 3 });
  expect(model.versions[0].signature.map((f: { name: string }) => f.name)).not.toContain('customer_id');
  expect(model.versions[0].signature.map((f: { name: string }) => f.name)).not.toContain('email');

  const card = await app.call('GET', 'models/churn/versions/2/card');
  expect(card.status).toBe(200);
  expect(card.headers.get('content-type')).toContain('text/html');
  const html = await card.text();
  for (const section of ['Metrics', 'Candidate selection', 'Plots', 'Mean |contribution| per feature', "Data profile against the champion's (v1)", 'champion v1, same rows', 'Lineage', 'Trials', 'Signature']) expect(html).toContain(section);
  expect(html).toContain(second.sha256);
  expect((await app.call('GET', 'models/churn/versions/9/card')).status).toBe(404);
  expect((await app.call('GET', 'models/nope')).status).toBe(404);
  expect((await app.call('POST', 'datasets/churn/ingest?test=abc', 'a\n1\n')).status).toBe(400);
});
