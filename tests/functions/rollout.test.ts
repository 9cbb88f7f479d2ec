import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { readSettings } from '../../src/Dps.Functions/settings';
import { eventually, sampleCsv, startApp } from './fixtures/app-host';
import { App, SERVING_SETTINGS, ingest, labelledRows, post, startRollout } from './fixtures/serving-fixture';

let app: App;

/** The sample with its yes/no labels swapped: a model trained on it ranks churners last. */
const flipped = (csv: string): string => csv.replace(/,(yes|no)$/gm, (_, label: string) => (label === 'yes' ? ',no' : ',yes'));

beforeAll(async () => {
  app = await startApp(SERVING_SETTINGS);
  const [good, bad] = await Promise.all([ingest(app, 'good', sampleCsv(800, 1)), ingest(app, 'bad', sampleCsv(800, 1))]);
  expect([good.model.alias, bad.model.alias]).toEqual(['champion', 'champion']);
  const [good2, bad2] = await Promise.all([ingest(app, 'good', sampleCsv(2000, 2, 0, 100_000)), ingest(app, 'bad', flipped(sampleCsv(800, 2, 0, 100_000)))]);
  expect([good2.model, bad2.model]).toMatchObject([{ version: 2, alias: 'challenger' }, { version: 2, alias: 'challenger' }]);
  expect(good2.rollout).toMatchObject({ started: false, reason: expect.stringContaining('DPS_ROLLOUT_AUTO is off') });
}, 180_000);
afterAll(async () => {
  await app?.host.stop();
});

const status = async (model: string): Promise<Record<string, any>> => (await app.call('GET', `models/${model}/rollout`)).json();

/** Scored traffic: `rows` fresh customers per request; returns what feedback needs. */
interface Served {
  requestId: string;
  row: number;
  version: number;
  label: string;
  entity: string;
}

let nextCustomer = 500_000;
async function traffic(model: string, rows: number): Promise<Served[]> {
  const sample = labelledRows(rows, nextCustomer, 0, nextCustomer);
  nextCustomer += rows;
  const { status: code, body } = await post(app, `models/${model}/predict`, { rows: sample.map((s) => s.row) });
  expect(code, JSON.stringify(body)).toBe(200);
  return body.predictions.map((p: any, row: number) => ({ requestId: body.requestId, row, version: p.version, label: sample[row].label, entity: p.entity }));
}

/** Sends traffic until the rollout's status satisfies `done`; returns the last status and everything served. */
async function driveUntil(model: string, done: (s: Record<string, any>) => boolean, timeoutMs = 40_000): Promise<{ last: Record<string, any>; served: Served[] }> {
  const served: Served[] = [];
  let seen: Record<string, any> = {};
  // The row of the model's previous rollout answers until the new one records its start.
  await eventually(async () => ((await status(model)).status === 'running' ? true : undefined));
  const last = await eventually(async () => {
    served.push(...(await traffic(model, 40)));
    seen = await status(model);
    return done(seen) ? seen : undefined;
  }, timeoutMs, 50).catch((error: Error) => {
    throw new Error(`${error.message}; the rollout is at ${JSON.stringify(seen)}`);
  });
  return { last, served };
}

async function auditEvents(model: string): Promise<Array<{ what: string; outcome: string; why: string; details?: any }>> {
  const store = await openAuditStore(createStorageClients({ connectionString: app.host.connectionString }), readSettings());
  const { records } = await store.chain.readChain();
  return records.map((r) => r.event).filter((e) => (e.subjects as Record<string, string>).model === model && e.what.startsWith('rollout.'));
}

const fastPlan = { steps: [50, 100], bakeSeconds: 1, minSamples: 30, thresholds: { minLabels: 20, latencySlackMs: 50 } };

describe('rollout', () => {
  it('refuses a bad plan naming the field, and a model without a challenger', async () => {
    const bad = await post(app, 'models/good/rollout', { steps: [50, 20] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('steps[1]');
    expect((await post(app, 'models/nope/rollout', {})).status).toBe(404);
    expect((await post(app, 'models/good/rollout', { version: 1 })).status).toBe(409);
    expect((await app.call('GET', 'models/good/rollout')).status).toBe(404);
  });

  it('promotes a good challenger step by step after a manual approval; aliases and audit chain follow', { timeout: 150_000 }, async () => {
    // Labels decide a held step: enough of them that two models of about the same quality compare fairly.
    const started = await post(app, 'models/good/rollout', { ...fastPlan, approval: 'manual', thresholds: { ...fastPlan.thresholds, minLabels: 300, maxMetricDrop: 0.05 } });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.body).toMatchObject({ instanceId: 'rollout-good', version: 2, champion: 1 });
    expect((await post(app, 'models/good/rollout', fastPlan)).status).toBe(409);
    // A retrained model may disagree with the champion on more rows than minAgreement allows: the step
    // then holds for labels, and labels showing it is as good let it pass.
    const served: Served[] = [];
    let sent = 0;
    const last = await eventually(async () => {
      served.push(...(await traffic('good', 40)));
      const s = await status('good');
      if (s.phase === 'holding' && served.length - sent >= 200) {
        const labels = served.slice(sent).map((x) => ({ requestId: x.requestId, row: x.row, label: x.label }));
        sent = served.length;
        expect((await post(app, 'models/good/feedback', { labels })).status).toBe(200);
      }
      return s.phase === 'awaitingApproval' || s.status !== 'running' ? s : undefined;
    }, 90_000, 20);
    expect(last, last.reason).toMatchObject({ instanceId: 'rollout-good', status: 'running', phase: 'awaitingApproval', version: 2, step: 2, weights: { champion: 0, challenger: 100 } });
    expect(last.gates.map((g: any) => g.name)).toEqual(expect.arrayContaining(['errorRate', 'latencyP95', 'predictionShift']));
    expect(last.gates.filter((g: any) => g.hard).every((g: any) => g.passed)).toBe(true);
    expect(new Set(served.map((s) => s.version))).toEqual(new Set([1, 2]));
    expect((await post(app, 'models/good/rollout/approve', {})).status).toBe(202);
    const done = await eventually(async () => ((await status('good')).status === 'promoted' ? status('good') : undefined), 20_000);
    expect(done).toMatchObject({ status: 'promoted', weights: { champion: 100, challenger: 0 } });
    const model = await (await app.call('GET', 'models/good')).json();
    expect(model.aliases.champion.version).toBe(2);
    expect(model.aliases.previous.version).toBe(1);
    const after = await traffic('good', 5);
    expect(after.every((s) => s.version === 2)).toBe(true);
    const events = await eventually(async () => {
      const list = await auditEvents('good');
      return list.some((e) => e.what === 'rollout.promoted') ? list : undefined;
    });
    const whats = events.map((e) => e.what);
    expect(whats[0]).toBe('rollout.started');
    expect(whats.slice(-2)).toEqual(['rollout.approval.awaited', 'rollout.promoted']);
    expect(whats).toContain('rollout.step.advanced');
    expect(events.find((e) => e.what === 'rollout.step.advanced')!.details.weights).toEqual({ champion: 0, challenger: 100 });
    expect((await post(app, 'models/good/rollout/abort', {})).status).toBe(409);
  });

  it('keeps each entity on one version within a step, and abort puts all traffic back on the champion', async () => {
    expect((await post(app, 'models/bad/rollout', { ...fastPlan, bakeSeconds: 3600 })).status).toBe(202);
    await eventually(async () => ((await status('bad')).status === 'running' ? true : undefined));
    const customers = labelledRows(30, 77, 0, 700_000).map((s) => s.row);
    const seen = new Map<string, Set<number>>();
    for (let round = 0; round < 3; round++) {
      const { body } = await post(app, 'models/bad/predict', { rows: customers });
      body.predictions.forEach((p: any) => seen.set(p.entity, (seen.get(p.entity) ?? new Set()).add(p.version)));
    }
    expect([...seen.values()].every((versions) => versions.size === 1)).toBe(true);
    const versions = new Set([...seen.values()].flatMap((v) => [...v]));
    expect(versions).toEqual(new Set([1, 2]));
    const header = await app.call('POST', 'models/bad/predict', JSON.stringify({ rows: [{ ...customers[0], customer_id: null }] }));
    expect(header.status).toBe(200);
    const aborted = await post(app, 'models/bad/rollout/abort', { reason: 'testing abort' });
    expect(aborted.status).toBe(202);
    const end = await eventually(async () => ((await status('bad')).status === 'aborted' ? status('bad') : undefined), 20_000);
    expect(end.reason).toContain('testing abort');
    expect(end.weights).toEqual({ champion: 100, challenger: 0 });
    const after = await traffic('bad', 20);
    expect(after.every((s) => s.version === 1)).toBe(true);
    const model = await (await app.call('GET', 'models/bad')).json();
    expect(model.aliases.champion.version).toBe(1);
    expect(model.aliases.challenger).toMatchObject({ version: 2 });
  });

  it('holds a shifted challenger for labels, then rolls it back when they show it is worse (gate onlineAuc)', async () => {
    expect((await startRollout(app, 'bad', { ...fastPlan, version: 2 })).status).toBe(202);
    const { last, served } = await driveUntil('bad', (s) => s.phase === 'holding' || s.status !== 'running');
    expect(last).toMatchObject({ status: 'running', phase: 'holding' });
    expect(last.gates.find((g: any) => g.name === 'predictionShift')).toMatchObject({ passed: false, hard: false });
    const labels = served.map((s) => ({ requestId: s.requestId, row: s.row, label: s.label }));
    const feedback = await post(app, 'models/bad/feedback', { labels });
    expect(feedback.status, JSON.stringify(feedback.body)).toBe(200);
    expect(feedback.body).toMatchObject({ received: labels.length, matched: labels.length, counted: labels.length, unmatched: [] });
    const again = await post(app, 'models/bad/feedback', { labels: labels.slice(0, 5) });
    expect(again.body).toMatchObject({ matched: 5, counted: 0 });
    const end = await eventually(async () => ((await status('bad')).status !== 'running' ? status('bad') : undefined), 30_000);
    expect(end.status).toBe('rolledBack');
    expect(end.reason).toContain('gate onlineAuc failed');
    expect(end.weights).toEqual({ champion: 100, challenger: 0 });
    const model = await (await app.call('GET', 'models/bad')).json();
    expect(model.aliases.champion.version).toBe(1);
    expect(model.aliases.challenger).toMatchObject({ version: 2, status: 'rejected' });
    const events = await eventually(async () => {
      const list = await auditEvents('bad');
      return list.some((e) => e.what === 'rollout.rolledBack') ? list : undefined;
    });
    expect(events.find((e) => e.what === 'rollout.step.held')!.why).toContain('send feedback labels');
    expect(events.find((e) => e.what === 'rollout.rolledBack')!.details.gates.find((g: any) => g.name === 'onlineAuc').passed).toBe(false);
  });

  it('rolls back a shifted challenger naming predictionShift when no labels arrive in time', async () => {
    expect((await startRollout(app, 'bad', { ...fastPlan, version: 2, thresholds: { ...fastPlan.thresholds, feedbackWaitSeconds: 1 } })).status).toBe(202);
    const { last } = await driveUntil('bad', (s) => s.status !== 'running');
    expect(last.status).toBe('rolledBack');
    expect(last.reason).toContain('gate predictionShift failed');
    expect(last.reason).toContain('labels per version arrived within 1 s');
  });

  it('refuses feedback that names no prediction or breaks the shape', async () => {
    const bad = await post(app, 'models/good/feedback', { labels: [{ requestId: 'r', row: -1, label: 'yes' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('labels[0].row');
    const unknown = await post(app, 'models/good/feedback', { labels: [{ requestId: 'nope', row: 0, label: 'yes' }, { entity: 'ghost', label: 'no' }] });
    expect(unknown.body).toMatchObject({ matched: 0, counted: 0 });
    expect(unknown.body.unmatched.map((u: any) => u.index)).toEqual([0, 1]);
    const served = await traffic('good', 2);
    const byEntity = await post(app, 'models/good/feedback', { labels: [{ entity: served[0].entity, label: served[0].label }] });
    expect(byEntity.body).toMatchObject({ matched: 1, counted: 1 });
    expect((await post(app, 'models/ghost/feedback', { labels: [{ entity: 'x', label: 'no' }] })).status).toBe(404);
  });
});
