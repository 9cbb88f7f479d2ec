import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { landInBronze } from '../../src/Dps.Functions/datasets/bronze-store';
import { replayQuarantine } from '../../src/Dps.Functions/datasets/quarantine-replay';
import { readSilverRows } from '../../src/Dps.Functions/datasets/silver-rows';
import { VALIDATE_BATCH, validateBatchStep, ValidationStep } from '../../src/Dps.Functions/pipeline/validate-batch.activity';
import { activityContext, FaultPlan, faultyDataPlane, InjectedFault, startStorage } from './fixtures/fault-injection';
import { sampleCsv } from './fixtures/app-host';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
});
afterAll(async () => {
  await env?.azurite.stop();
});

/** Stores the sample contract for `dataset` (ages above `ageMax` quarantined) and lands two overlapping batches in bronze. */
async function prepare(dataset: string, ageMax = 120) {
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset });
  if (!sample.ok) throw new Error(sample.error);
  const contract = structuredClone(sample.value.contract);
  contract.columns.find((c) => c.name === 'age')!.max = ageMax;
  contract.maxQuarantineRate = 1;
  await env.plane.contracts.put(dataset, contract, 'tester', 'user');
  const first = sampleCsv(200, 3);
  // The second batch repeats 50 rows of the first: its accepted count depends on the first's dedup state.
  const second = first.split('\n').slice(0, 51).join('\n') + '\n' + sampleCsv(100, 4, 0, 10_000).split('\n').slice(1).join('\n');
  const land = (text: string, name: string) => landInBronze(env.storage.blobs, env.settings.containers, dataset, Buffer.from(text), name);
  return { batches: [await land(first, 'first.csv'), await land(second, 'second.csv')] };
}

type Batch = Awaited<ReturnType<typeof prepare>>['batches'][number];
const input = (batch: Batch, run: string) => ({ batch, submittedBy: 'tester', contractRevision: 1, instanceId: `pipeline-${run}`, audit: { run, at: '2026-01-01T00:00:00.000Z' } });

/** What must not depend on faults: verdict, counts, findings and silver version (layers name the dataset). */
const comparable = (step: ValidationStep) => ({ status: step.status, rows: step.rows, errors: step.errors, warnings: step.warnings.map((w) => ({ ...w, message: undefined })), silverVersion: step.silverVersion });

/** A step's silver rows, read back through the app's Parquet reader. */
async function silverRows(step: ValidationStep) {
  return readSilverRows(env.storage.blobs, step.layers.silver);
}

/** Validates both batches of `dataset`; the write numbered `failAt` fails once and its batch's activity is run again. */
async function validateWithFault(dataset: string, failAt: number): Promise<{ steps: ValidationStep[]; failed: string | undefined }> {
  const { batches } = await prepare(dataset);
  const plan = new FaultPlan(failAt);
  const handler = validateBatchStep(env.deps(faultyDataPlane(env.plane, plan)));
  const steps: ValidationStep[] = [];
  let failed: string | undefined;
  for (const [i, batch] of batches.entries()) {
    const run = () => handler(input(batch, `run-${i}`), activityContext(VALIDATE_BATCH.name));
    try {
      steps.push(await run());
    } catch (error) {
      if (!(error instanceof InjectedFault)) throw error;
      failed = error.message;
      // The Durable retry policy (or a new pipeline run) runs the activity again with the same input.
      steps.push(await run());
    }
  }
  return { steps, failed };
}

it('gives the same result, silver and dedup state when validation is re-run after a failure at any of its writes', async () => {
  const clean = await validateWithFault('clean', 0);
  expect(clean.failed).toBeUndefined();
  expect(clean.steps[0].rows.accepted).toBeGreaterThan(0);
  expect(clean.steps[1].rows.duplicates).toBeGreaterThanOrEqual(50);
  const cleanDedup = await env.plane.dedup.read('clean');
  // Two writes per accepted batch: dedup save and silver append, for each of the two batches.
  for (const failAt of [1, 2, 3, 4]) {
    const dataset = `faulted-${failAt}`;
    const faulted = await validateWithFault(dataset, failAt);
    expect(faulted.failed, `write ${failAt}`).toContain(`write ${failAt}`);
    expect(faulted.steps.map(comparable), `write ${failAt}`).toEqual(clean.steps.map(comparable));
    for (const k of [0, 1]) expect(await silverRows(faulted.steps[k])).toEqual(await silverRows(clean.steps[k]));
    const dedup = await env.plane.dedup.read(dataset);
    expect({ state: dedup.state, batches: dedup.batches }).toEqual({ state: cleanDedup.state, batches: cleanDedup.batches });
    expect((await env.plane.silver.list(dataset)).map((v) => v.sha256)).toEqual((await env.plane.silver.list('clean')).map((v) => v.sha256));
  }
});

it('replays quarantine to the same result when its silver append failed after the dedup save', async () => {
  const replay = async (dataset: string, failAt: number) => {
    const { batches } = await prepare(dataset, 40);
    await validateBatchStep(env.deps())(input(batches[0], 'q'), activityContext(VALIDATE_BATCH.name));
    const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset });
    if (!sample.ok) throw new Error(sample.error);
    await env.plane.contracts.put(dataset, sample.value.contract, 'tester', 'user');
    const plan = new FaultPlan(failAt);
    const go = () => replayQuarantine(env.storage, faultyDataPlane(env.plane, plan), env.settings, dataset);
    const first = await go().catch((error: unknown) => {
      if (!(error instanceof InjectedFault)) throw error;
      return undefined;
    });
    return { outcome: first ?? (await go()), failed: first === undefined };
  };
  const clean = await replay('replay-clean', 0);
  expect(clean.outcome).toMatchObject({ status: 'accepted', silverVersion: 2 });
  expect(clean.outcome!.rows.accepted).toBeGreaterThan(0);
  for (const failAt of [1, 2]) {
    const faulted = await replay(`replay-faulted-${failAt}`, failAt);
    expect(faulted.failed).toBe(true);
    const { replayedFrom: _c, ...cleanRest } = clean.outcome!;
    const { replayedFrom: _f, ...faultedRest } = faulted.outcome!;
    expect(faultedRest, `write ${failAt}`).toEqual(cleanRest);
  }
});

it('moves a silver part to the next version when another writer appended the version it was written under', async () => {
  const dataset = 'raced';
  const { batches } = await prepare(dataset);
  const handler = validateBatchStep(env.deps());
  const first = await handler(input(batches[0], 'r0'), activityContext(VALIDATE_BATCH.name));
  // Another writer appends version 2 while the second batch is validated under it (once: the race is lost once).
  const plane = env.plane;
  let raced = false;
  const racing = { ...plane, silver: Object.assign(Object.create(Object.getPrototypeOf(plane.silver)), plane.silver, {
    nextVersion: async (d: string) => {
      const n = await plane.silver.nextVersion(d);
      if (!raced) await plane.silver.append({ ...(await plane.silver.list(d))[0], version: n, sha256: 'other' });
      raced = true;
      return n;
    },
  }) };
  const second = await validateBatchStep(env.deps(racing))(input(batches[1], 'r1'), activityContext(VALIDATE_BATCH.name));
  expect([first.silverVersion, second.silverVersion]).toEqual([1, 3]);
  expect(second.layers.silver.name).toMatch(new RegExp(`^${dataset}/version=3/part-${batches[1].sha256}\\.r1\\.parquet$`));
  expect((await readSilverRows(env.storage.blobs, second.layers.silver)).length).toBe(second.rows.accepted);
  const parts = [];
  for await (const item of env.storage.blobs.getContainerClient('silver').listBlobsFlat({ prefix: `${dataset}/` })) parts.push(item.name);
  // The part first written under version 2 is gone: version 2's partition holds nothing of this batch.
  expect(parts.sort()).toEqual([first.layers.silver.name, second.layers.silver.name].sort());
  expect((await env.plane.silver.list(dataset)).map((v) => [v.version, v.sha256])).toEqual([[1, batches[0].sha256], [2, 'other'], [3, batches[1].sha256]]);
});
