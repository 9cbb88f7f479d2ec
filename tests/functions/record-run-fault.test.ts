import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PipelineResult } from '../../src/Dps.Functions/pipeline/pipeline-run';
import { RECORD_RUN, recordRun } from '../../src/Dps.Functions/pipeline/record-run.activity';
import { RunsStore } from '../../src/Dps.Functions/storage/runs-store';
import { activityContext, FaultPlan, InjectedFault, startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
});
afterAll(async () => {
  await env?.azurite.stop();
});

const result = (dataset: string, instanceId: string, landedAt: string): PipelineResult => ({
  instanceId, dataset, sha256: 'ab'.repeat(32), status: 'accepted', landedAt,
  rows: { read: 3, accepted: 3, quarantined: 0, duplicates: 0 }, errors: [], warnings: [],
  stages: [{ name: 'validate', status: 'succeeded', startedAt: landedAt, endedAt: landedAt }],
} as unknown as PipelineResult);

/** Records two runs of `dataset`; the table write numbered `failAt` fails once and that activity runs again. */
async function record(dataset: string, failAt: number) {
  const plan = new FaultPlan(failAt);
  const storage = { ...env.storage, table: async (name: string) => plan.wrap(name, await env.storage.table(name), ['upsertEntity', 'deleteEntity']) };
  const handler = recordRun({ ...env.deps(), storage: () => storage });
  let failed = false;
  for (const [i, at] of ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z'].entries()) {
    const input = { result: result(dataset, `${dataset}-run-${i}`, at), audit: { run: 'a', at } };
    await handler(input, activityContext(RECORD_RUN.name)).catch(async (error: unknown) => {
      if (!(error instanceof InjectedFault)) throw error;
      failed = true;
      await handler(input, activityContext(RECORD_RUN.name));
    });
  }
  const runs = new RunsStore<PipelineResult>(() => env.storage.table(env.settings.tables.runs));
  const newest = (await runs.page({ dataset, top: 10 })).items.map((r) => r.instanceId.replace(dataset, ''));
  return { failed, newest, all: (await runs.ofDataset(dataset)).map((r) => ({ ...r, dataset: '', instanceId: r.instanceId.replace(dataset, '') })) };
}

it('records the same runs and newest-first index when recording is re-run after a failure at any of its writes', async () => {
  const clean = await record('clean', 0);
  expect(clean.newest).toEqual(['-run-1', '-run-0']);
  // Two writes per run (the run row and its newest-first index row).
  for (const failAt of [1, 2, 3, 4]) {
    const faulted = await record(`faulted-${failAt}`, failAt);
    expect(faulted.failed, `write ${failAt}`).toBe(true);
    expect({ newest: faulted.newest, all: faulted.all }, `write ${failAt}`).toEqual({ newest: clean.newest, all: clean.all });
  }
});
