import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectAccepted, KEY, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({
    DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false', DPS_RETRAIN_SCHEDULE: '0 0 0 1 1 *', DPS_RETRAIN_VOLUME_ROWS: '500',
    DPS_RETRAIN_MIN_NEW_ROWS: '500', DPS_RETRAIN_WINDOW_VERSIONS: '2', DPS_RETRAIN_RECHECK_MINUTES: '0.02',
  });
}, 60_000);
afterAll(async () => {
  await app?.host.stop();
});

/** Waits for the current retrain-{model} run to finish and returns GET /retrain. */
const finishedRetrain = (model: string, accept: (body: Record<string, any>) => boolean = () => true) =>
  eventually(async () => {
    const r = await app.call('GET', `models/${model}/retrain`);
    if (r.status !== 200) return undefined;
    const body = (await r.json()) as Record<string, any>;
    if (body.runtimeStatus === 'Failed') throw new Error(`retrain failed: ${JSON.stringify(body.output)}`);
    return body.runtimeStatus === 'Completed' && accept(body) ? body : undefined;
  }, 60_000);

const check = async () => expect((await fetch(`${app.host.baseUrl}/admin/functions/retrainCheck?code=${KEY}`, { method: 'POST', body: '{}' })).status).toBe(202);

describe('retraining triggers and decisions', () => {
  it('the scheduled check finds new-data volume, trains on the window of the latest silver versions, then skips in cool-down', async () => {
    expectAccepted(await app.ingest('volume', sampleCsv(500, 1), '?label=churned'));
    expect((await app.call('GET', 'models/volume/retrain')).status).toBe(404);
    await check();
    const quiet = await finishedRetrain('volume');
    // No new rows since the champion's training: the trigger is the schedule, and the minimum says no.
    expect(quiet.input.trigger.kind).toBe('schedule');
    expect(quiet.output.decisions).toEqual([expect.objectContaining({ action: 'skip', reason: "only 0 new rows since the champion's training, 500 needed" })]);

    expectAccepted(await app.ingest('volume', sampleCsv(300, 2, 0, 100_000)));
    expectAccepted(await app.ingest('volume', sampleCsv(300, 3, 0, 200_000)));
    await check();
    const trained = await finishedRetrain('volume', (b) => b.input.trigger.kind === 'volume');
    expect(trained.input.trigger).toMatchObject({ kind: 'volume', newRows: 600, threshold: 500 });
    expect(trained.output).toMatchObject({ outcome: 'trained', window: { versions: [2, 3], rows: 600 } });
    const model = await (await app.call('GET', 'models/volume')).json();
    const version = model.versions.find((v: { version: number }) => v.version === trained.output.trained.version);
    expect(version.lineage.silverWindow.map((s: { name: string }) => s.name)).toHaveLength(2);

    await check();
    const cooled = await finishedRetrain('volume', (b) => b.createdTime !== trained.createdTime);
    expect(cooled.output.decisions[0].action).toBe('skip');
    expect(cooled.output.decisions[0].reason).toMatch(/^in cool-down until /);
  }, 150_000);

  it('waits while a rollout of the model runs, audited with why, and trains once it has ended', async () => {
    // Model 'volume' from the test above: v2 (its second batch) is a challenger to roll out.
    const rollout = await app.call('POST', 'models/volume/rollout', JSON.stringify({ version: 2, bakeSeconds: 3600 }));
    expect(rollout.status).toBe(202);
    expect((await app.call('POST', 'models/volume/retrain')).status).toBe(202);
    const waiting = await eventually(async () => {
      const body = (await (await app.call('GET', 'models/volume/retrain')).json()) as Record<string, any>;
      return body.decision?.decision === 'wait' ? body : undefined;
    }, 30_000);
    expect(waiting.decision.reason).toBe('a rollout is in progress; checking again later');
    expect((await app.call('POST', 'models/volume/retrain')).status).toBe(409);
    expect((await app.call('POST', 'models/volume/rollout/abort', JSON.stringify({ reason: 'test' }))).status).toBeLessThan(300);
    const done = await finishedRetrain('volume', (b) => b.input.trigger.kind === 'manual');
    expect(done.output.decisions.map((d: { action: string }) => d.action)).toEqual(expect.arrayContaining(['wait', 'start']));
    expect(done.output.outcome).toBe('trained');
  }, 150_000);
});
