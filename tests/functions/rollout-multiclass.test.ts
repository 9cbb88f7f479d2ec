import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startApp } from './fixtures/app-host';
import { App, SERVING_SETTINGS, ingest, post, startRollout } from './fixtures/serving-fixture';

let app: App;

const CLASSES = ['high', 'low', 'mid'];

/** A seeded uniform generator (mulberry32), so the data and the models are the same on every run. */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Rows whose tier follows `score` in thirds (2 % of labels random); `rotate` shifts every label to the next class. */
function tiers(rows: number, seed: number, firstId: number, rotate = false): { row: Record<string, string>; label: string }[] {
  const next = uniform(seed);
  return Array.from({ length: rows }, (_, i) => {
    const score = next() * 9;
    const colour = ['red', 'green', 'blue'][Math.floor(next() * 3)];
    const noise = next() * 2;
    let label = score < 3 ? 'low' : score < 6 ? 'mid' : 'high';
    if (next() < 0.02) label = CLASSES[Math.floor(next() * 3)];
    if (rotate) label = CLASSES[(CLASSES.indexOf(label) + 1) % 3];
    return { row: { id: String(firstId + i), score: score.toFixed(3), colour, noise: noise.toFixed(3) }, label };
  });
}

const csv = (data: ReturnType<typeof tiers>): string => ['id,score,colour,noise,tier', ...data.map((d) => `${d.row.id},${d.row.score},${d.row.colour},${d.row.noise},${d.label}`)].join('\n') + '\n';

beforeAll(async () => {
  app = await startApp(SERVING_SETTINGS);
  expect((await ingest(app, 'tiers', csv(tiers(500, 1, 1)), 'tier')).model).toMatchObject({ version: 1, alias: 'champion' });
  expect((await ingest(app, 'tiers', csv(tiers(500, 2, 10_000)), 'tier')).model).toMatchObject({ version: 2 });
  expect((await ingest(app, 'tiers', csv(tiers(500, 3, 20_000, true)), 'tier')).model).toMatchObject({ version: 3 });
}, 120_000);
afterAll(async () => {
  await app?.host.stop();
});

const status = async (): Promise<Record<string, any>> => (await app.call('GET', 'models/tiers/rollout')).json();

let nextId = 100_000;
/** Sends traffic with true labels as feedback until the rollout ends; returns its last status. */
async function driveWithFeedback(): Promise<Record<string, any>> {
  let seen: Record<string, any> = {};
  return eventually(async () => {
    const sample = tiers(40, nextId, nextId);
    nextId += 40;
    const { status: code, body } = await post(app, 'models/tiers/predict', { rows: sample.map((s) => s.row) });
    expect(code, JSON.stringify(body)).toBe(200);
    expect(CLASSES).toContain(body.predictions[0].prediction);
    const labels = sample.map((s, row) => ({ requestId: body.requestId, row, label: s.label }));
    expect((await post(app, 'models/tiers/feedback', { labels })).status).toBe(200);
    seen = await status();
    return seen.status !== 'running' ? seen : undefined;
  }, 45_000, 20).catch((error: Error) => {
    throw new Error(`${error.message}; the rollout is at ${JSON.stringify(seen)}`);
  });
}

// Labels follow each request at once, so they lag the samples by at most one request (about 20 per
// version): with 60 samples needed, each step is judged with at least 10 labels a version, and the
// online accuracy gate is always among its gates. Near-deterministic tiers: both good models are
// almost always right, so a drop of 0.1 separates them from one trained on rotated labels.
const plan = { steps: [50, 100], bakeSeconds: 1, minSamples: 60, thresholds: { minLabels: 10, maxMetricDrop: 0.1, latencySlackMs: 50 } };

describe('multiclass rollouts', () => {
  it('promotes an equally good multiclass challenger: class shift, same-class agreement and online accuracy pass', { timeout: 60_000 }, async () => {
    const started = await startRollout(app, 'tiers', { ...plan, version: 2 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const end = await driveWithFeedback();
    expect(end, end.reason).toMatchObject({ status: 'promoted', version: 2 });
    const gates = Object.fromEntries(end.gates.map((g: any) => [g.name, g]));
    expect(gates.predictionShift.passed).toBe(true);
    expect(gates.agreement).toMatchObject({ passed: true });
    expect(gates.onlineAccuracy).toMatchObject({ passed: true, hard: true });
    expect(gates.onlineAccuracy.detail).toMatch(/challenger accuracy (0\.9\d+|1\.0000) vs champion (0\.9\d+|1\.0000)/);
    const model = await (await app.call('GET', 'models/tiers')).json();
    expect(model.aliases.champion.version).toBe(2);
  });

  it('rolls back a challenger that learned the wrong classes, naming the online accuracy gate', { timeout: 60_000 }, async () => {
    const started = await startRollout(app, 'tiers', { ...plan, version: 3 });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const end = await driveWithFeedback();
    expect(end.status).toBe('rolledBack');
    expect(end.reason).toContain('gate onlineAccuracy failed');
    const agreement = end.gates.find((g: any) => g.name === 'agreement');
    if (agreement) expect(agreement.passed).toBe(false);
    const model = await (await app.call('GET', 'models/tiers')).json();
    expect(model.aliases.champion.version).toBe(2);
    expect(model.aliases.challenger).toMatchObject({ version: 3, status: 'rejected' });
  });
});
