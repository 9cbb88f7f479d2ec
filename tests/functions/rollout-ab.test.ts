import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, sampleCsv, startApp } from './fixtures/app-host';
import { App, SERVING_SETTINGS, ingest, labelledRows, post, startRollout } from './fixtures/serving-fixture';

let app: App;

/** The sample with its yes/no labels swapped: a model trained on it gets most rows wrong. */
const flipped = (csv: string): string => csv.replace(/,(yes|no)$/gm, (_, label: string) => (label === 'yes' ? ',no' : ',yes'));

beforeAll(async () => {
  app = await startApp(SERVING_SETTINGS);
  // v1 (champion) learned flipped labels; v2 and v3 learned the same rows under other customer ids.
  expect((await ingest(app, 'ab', flipped(sampleCsv(600, 1)))).model).toMatchObject({ version: 1, alias: 'champion' });
  expect((await ingest(app, 'ab', sampleCsv(600, 2, 0, 100_000))).model).toMatchObject({ version: 2 });
  expect((await ingest(app, 'ab', sampleCsv(600, 2, 0, 200_000))).model).toMatchObject({ version: 3 });
}, 120_000);
afterAll(async () => {
  await app?.host.stop();
});

const status = async (): Promise<Record<string, any>> => (await app.call('GET', 'models/ab/rollout')).json();

let nextCustomer = 900_000;
/** Sends `requests` requests of 40 fresh customers, then their true labels as feedback; returns the versions that answered. */
async function trafficWithFeedback(requests: number): Promise<number[]> {
  const versions: number[] = [];
  for (let r = 0; r < requests; r++) {
    const sample = labelledRows(40, nextCustomer, 0, nextCustomer);
    nextCustomer += 40;
    const { status: code, body } = await post(app, 'models/ab/predict', { rows: sample.map((s) => s.row) });
    expect(code, JSON.stringify(body)).toBe(200);
    versions.push(...body.predictions.map((p: any) => p.version));
    const labels = sample.map((s, row) => ({ requestId: body.requestId, row, label: s.label }));
    expect((await post(app, 'models/ab/feedback', { labels })).body).toMatchObject({ counted: 40 });
  }
  return versions;
}

const finished = () => eventually(async () => {
  const s = await status();
  return s.status !== 'running' ? s : undefined;
}, 30_000, 100);

const plan = { durationSeconds: 2, minSamples: 60, minLabels: 60, labelWaitSeconds: 30 };

describe('A/B tests', () => {
  it('refuses a bad A/B body naming the field and the rule, and an arm that is not a version', async () => {
    const weights = await post(app, 'models/ab/rollout', { mode: 'ab', arms: [{ version: 1, weight: 50 }, { version: 2, weight: 40 }], durationSeconds: 60 });
    expect(weights).toMatchObject({ status: 400, body: { field: 'arms', error: 'arms: weights add up to 90, not 100' } });
    const promote = await post(app, 'models/ab/rollout', { mode: 'ab', arms: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }], durationSeconds: 60, promote: 'always' });
    expect(promote.body.field).toBe('promote');
    const ghost = await post(app, 'models/ab/rollout', { mode: 'ab', arms: [{ version: 1, weight: 50 }, { version: 9, weight: 50 }], durationSeconds: 60 });
    expect(ghost).toMatchObject({ status: 404, body: { field: 'arms[1].version' } });
  });

  it('splits traffic by entity, names the clearly better arm the winner and promotes it when asked; audited', { timeout: 60_000 }, async () => {
    const started = await post(app, 'models/ab/rollout', { mode: 'ab', arms: [{ version: 1, weight: 50 }, { version: 2, weight: 50 }], ...plan, promote: 'auto' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect((await post(app, 'models/ab/rollout', { mode: 'ab', arms: [{ version: 1, weight: 50 }, { version: 3, weight: 50 }], ...plan })).status).toBe(409);
    const versions = await trafficWithFeedback(5);
    expect(new Set(versions)).toEqual(new Set([1, 2]));
    const end = await finished();
    expect(end, end.reason).toMatchObject({ status: 'promoted', mode: 'ab', version: 2, winner: 2, result: 'v2 wins', weights: { champion: 0, v2: 100 } });
    const [control, arm] = end.arms;
    expect(control).toMatchObject({ version: 1, metric: { name: 'accuracy' } });
    expect(arm.metric.value).toBeGreaterThan(control.metric.value);
    const accuracy = arm.comparisons.find((c: any) => c.metric === 'accuracy');
    expect(accuracy).toMatchObject({ test: 'two-proportion-z', significant: true, better: true });
    expect(accuracy.interval[0]).toBeGreaterThan(0);
    expect(end.gates.find((g: any) => g.name === 'v2 accuracy vs v1')).toMatchObject({ passed: true, threshold: 0.05 });
    const model = await (await app.call('GET', 'models/ab')).json();
    expect([model.aliases.champion.version, model.aliases.previous.version]).toEqual([2, 1]);
    const after = await post(app, 'models/ab/predict', { rows: labelledRows(5, 1, 0, 990_000).map((s) => s.row) });
    expect(after.body.predictions.every((p: any) => p.version === 2 && p.alias === 'champion')).toBe(true);
    const events = await eventually(async () => {
      const page = await (await app.call('GET', 'audit/events?type=rollout.ab')).json();
      const list = (page.items as any[]).filter((e) => e.subjects?.model === 'ab');
      return list.some((e) => e.what === 'rollout.ab.promoted') ? list : undefined;
    });
    expect(events.map((e) => e.what)).toEqual(expect.arrayContaining(['rollout.ab.started', 'rollout.ab.promoted']));
  });

  it('concludes "no significant difference" between two equally good arms and moves no alias; abort ends a running test', { timeout: 60_000 }, async () => {
    const started = await startRollout(app, 'ab', { mode: 'ab', arms: [{ version: 2, weight: 50 }, { version: 3, weight: 50 }], ...plan, promote: 'auto' });
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    await trafficWithFeedback(5);
    const end = await finished();
    expect(end, end.reason).toMatchObject({ status: 'completed', result: 'no significant difference', version: 2 });
    expect(end.reason).toContain('no significant difference');
    expect(end.arms[1].comparisons.find((c: any) => c.metric === 'accuracy')).toMatchObject({ significant: false });
    const model = await (await app.call('GET', 'models/ab')).json();
    expect(model.aliases.champion.version).toBe(2);

    // The instance finishes just after it records its verdict: until then a new start is a 409.
    expect((await startRollout(app, 'ab', { mode: 'ab', arms: [{ version: 2, weight: 50 }, { version: 3, weight: 50 }], durationSeconds: 3600 })).status).toBe(202);
    await eventually(async () => ((await status()).status === 'running' && (await status()).endsAt ? true : undefined));
    expect((await post(app, 'models/ab/rollout/abort', { reason: 'enough' })).status).toBe(202);
    const aborted = await finished();
    expect(aborted).toMatchObject({ status: 'aborted', weights: { champion: 100, challenger: 0 } });
    expect(aborted.reason).toContain('enough');
    const after = await post(app, 'models/ab/predict', { rows: labelledRows(5, 2, 0, 995_000).map((s) => s.row) });
    expect(after.body.predictions.every((p: any) => p.version === 2)).toBe(true);
  });
});
