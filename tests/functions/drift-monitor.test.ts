import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TypedValue } from '../../src/Dps.Domain/data/contract-types';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import type { PredictionTelemetry } from '../../src/Dps.Domain/serving/prediction-telemetry';
import { readSettings } from '../../src/Dps.Functions/settings';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { eventually, expectAccepted, KEY, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({
    DPS_TRAINING_TRIALS: '1', DPS_DRIFT_WINDOW_ROWS: '300', DPS_DRIFT_HYSTERESIS_ENTER: '2',
    DPS_RETRAIN_MIN_NEW_ROWS: '0', DPS_RETRAIN_COOLDOWN_MINUTES: '0', DPS_ROLLOUT_AUTO: 'false',
  });
}, 60_000);
afterAll(async () => {
  await app?.host.stop();
});

/** Telemetry events of sample rows, typed as silver types them (what the serving slice publishes). */
function telemetry(rows: number, seed: number, drift: number, requestId: string): PredictionTelemetry[] {
  const sample = generateSample({ rows, seed, drift });
  if (!sample.ok) throw new Error(sample.error);
  const { header, contract } = sample.value;
  const events: PredictionTelemetry[] = [];
  let row = 0;
  for (const cells of sample.value.rows()) {
    const inputs: Record<string, TypedValue> = {};
    header.forEach((name, i) => {
      const type = contract.columns.find((c) => c.name === name)!.type;
      const text = cells[i];
      if (name === 'churned') return;
      inputs[name] = text === '' || text === 'NA' ? null : type === 'integer' || type === 'number' ? Number(text) : type === 'boolean' ? text === 'true' : text;
    });
    events.push({ model: 'churn', version: 1, alias: 'champion', requestId, row: row++, inputs, prediction: 'no', probability: 0.2, latencyMs: 3, at: new Date().toISOString() });
  }
  return events;
}

const driftOf = async () => (await app.call('GET', 'models/churn/drift')).json() as Promise<Record<string, any>>;

describe('driftMonitor', () => {
  it('turns telemetry into windows, enters drift after two drifted windows, audits it and starts retrain-{model}', async () => {
    expect((await app.call('GET', 'models/churn/drift')).status).toBe(404);
    const first = await app.ingest('churn', sampleCsv(1000, 1), '?label=churned');
    expectAccepted(first);
    // The first batch has no champion to compare with: no drift stage at all.
    expect(first.stages.map((s: { name: string }) => s.name)).not.toContain('drift');
    expect(first.drift).toBeUndefined();
    // Shadow scores are not traffic: they never reach a window.
    await app.host.broker.publish('telemetry', telemetry(100, 7, 0, 'shadow').map((e) => ({ ...e, shadow: true as const })));
    await app.host.broker.publish('telemetry', telemetry(300, 2, 0, 'clean'));
    const clean = await eventually(async () => {
      const body = await driftOf();
      return body.windows?.length === 1 ? body : undefined;
    }, 30_000);
    expect(clean).toMatchObject({ referenceVersion: 1, status: 'clean', open: [] });
    expect(clean.windows[0]).toMatchObject({ index: 0, start: '0', end: '300', rows: 300, datasetDrift: false });
    expect(clean.windows[0].features.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['age', 'plan', 'income']));
    expect(clean.windows[0].features.map((f: { name: string }) => f.name)).not.toContain('customer_id');

    await app.host.broker.publish('telemetry', telemetry(300, 3, 0.9, 'drift-1'));
    await app.host.broker.publish('telemetry', telemetry(300, 4, 0.9, 'drift-2'));
    const drifted = await eventually(async () => {
      const body = await driftOf();
      return body.windows?.length === 3 ? body : undefined;
    }, 30_000);
    expect(drifted.windows.map((w: { datasetDrift: boolean }) => w.datasetDrift)).toEqual([false, true, true]);
    expect(drifted.windows.map((w: { status: string }) => w.status)).toEqual(['clean', 'clean', 'drift']);
    expect(drifted).toMatchObject({ status: 'drift', since: '900' });
    for (const f of drifted.windows[2].features) expect(Object.keys(f)).toEqual(expect.arrayContaining(['name', 'method', 'score', 'threshold', 'drift', 'psi']));

    // The verdict started the retrain, which trained a challenger on the training window.
    const retrain = await eventually(async () => {
      const status = await (await fetch(`${app.host.baseUrl}/runtime/webhooks/durabletask/instances/retrain-churn?code=${KEY}`)).json() as Record<string, any>;
      if (status.runtimeStatus === 'Failed') throw new Error(`retrain failed: ${JSON.stringify(status.output)}`);
      return status.runtimeStatus === 'Completed' ? status : undefined;
    }, 60_000);
    expect(retrain.input.trigger).toMatchObject({ kind: 'drift', windowEnd: '900' });
    expect(retrain.output).toMatchObject({ model: 'churn', outcome: 'trained', trained: { version: 2 } });

    const store = await openAuditStore(createStorageClients({ connectionString: app.host.connectionString }), readSettings());
    const events = await eventually(async () => {
      const chain = (await store.chain.readChain()).records.map((r) => r.event);
      return chain.some((e) => e.what === 'retrain.completed') ? chain : undefined;
    }, 20_000);
    const whats = events.map((e) => e.what);
    expect(whats.filter((w) => w === 'drift.window')).toHaveLength(3);
    const detected = events.find((e) => e.what === 'drift.detected')!;
    expect(detected).toMatchObject({ outcome: 'drift', subjects: { model: 'churn', version: '1', window: '2' } });
    expect((detected.details as { features: { name: string }[] }).features.length).toBeGreaterThan(0);
    expect(whats).toEqual(expect.arrayContaining(['retrain.triggered', 'retrain.requested', 'retrain.decision', 'retrain.started', 'model.registered', 'retrain.completed']));
    expect(whats.indexOf('drift.detected')).toBeLessThan(whats.indexOf('retrain.started'));
  }, 120_000);

  it('serves the drift report as HTML without scripts, every value escaped', async () => {
    const response = await app.call('GET', 'models/churn/drift/report');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const html = await response.text();
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('Drift report: churn');
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(2 * 8);
    for (const name of ['age', 'plan', 'support_calls']) expect(html).toContain(`<h3>${name} `);
    expect((await app.call('GET', 'models/churn/drift?last=0')).status).toBe(400);
    expect((await app.call('GET', 'models/nope/drift/report')).status).toBe(404);
  });

  it('starts a retrain by hand with POST /retrain, and answers 404 for an unknown model', async () => {
    const started = await app.call('POST', 'models/churn/retrain');
    expect(started.status).toBe(202);
    expect((await started.json()).instanceId).toBe('retrain-churn');
    expect((await app.call('POST', 'models/nope/retrain')).status).toBe(404);
    const done = await eventually(async () => {
      const status = await (await fetch(`${app.host.baseUrl}/runtime/webhooks/durabletask/instances/retrain-churn?code=${KEY}`)).json() as Record<string, any>;
      return status.runtimeStatus === 'Completed' && status.input.trigger.kind === 'manual' ? status : undefined;
    }, 60_000);
    expect(done.output.decisions[0].action).toBe('start');
    expect(done.output.decisions[0].reason).toMatch(/^started by hand by \S+/);
  }, 90_000);

  it('compares each landed batch of a dataset with a champion against its training data: the drift stage, its verdict in the run result', async () => {
    const drifted = await app.ingest('churn', sampleCsv(600, 12, 0.8, 100_000));
    expectAccepted(drifted);
    const stage = drifted.stages.find((s: { name: string }) => s.name === 'drift');
    expect(stage).toMatchObject({ status: 'succeeded' });
    expect(stage.detail).toMatch(/^drift against v1: \d+ of \d+ features drifted$/);
    expect(drifted.stages.map((s: { name: string }) => s.name)).toEqual(['contract', 'validate', 'profile', 'drift', 'train']);
    expect(drifted.drift).toMatchObject({ status: 'compared', model: 'churn', version: 1, rows: 600, datasetDrift: true });
    const names = drifted.drift.features.filter((f: { drift: boolean }) => f.drift).map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['age', 'plan', 'support_calls']));
    // v1's training batch has 1,000 rows: a reference of at most 1,000 rows gets tests (Evidently's rule).
    const methods = Object.fromEntries(drifted.drift.features.map((f: { name: string; method: string }) => [f.name, f.method]));
    expect(methods).toMatchObject({ age: 'ks', plan: 'chisquare' });
    const clean = await app.ingest('churn', sampleCsv(600, 13, 0, 200_000));
    expectAccepted(clean);
    expect(clean.drift).toMatchObject({ version: 1, datasetDrift: false });
  }, 60_000);
});
