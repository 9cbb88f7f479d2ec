import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { PUBLISH_FEATURES, publishFeatures } from '../../src/Dps.Functions/pipeline/publish-features.activity';
import { ParquetBlobWriter } from '../../src/Dps.Functions/storage/parquet-writer';
import { activityContext, FaultPlan, InjectedFault, startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
});
afterAll(async () => {
  await env?.azurite.stop();
});

const ROWS = 5000;

/** Stores the sample contract (primary key customer_id) and a silver part of ROWS entities in row groups of 1,000, so reading it awaits storage between rounds. */
async function prepare(dataset: string) {
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset });
  if (!sample.ok) throw new Error(sample.error);
  const stored = await env.plane.contracts.put(dataset, sample.value.contract, 'tester', 'user');
  const silver = { container: env.settings.containers.silver, name: `${dataset}/part-1.parquet` };
  const writer = await ParquetBlobWriter.open(env.storage.blobs, silver, [
    { name: 'customer_id', type: 'string', nullable: false },
    { name: 'age', type: 'integer', nullable: true },
  ], { rows: 1000, bytes: 1024 * 1024 });
  for (let i = 0; i < ROWS; i++) await writer.write([`C${i}`, i % 90]);
  await writer.close();
  return { dataset, contractRevision: stored.revision, silver };
}

// A feature-store write that failed while silver was still being read used to reject with nothing
// listening (the host died on it; vitest reports it as an unhandled error): it must fail the activity.
it('fails the activity when a feature-store write fails mid-read, and a re-run publishes every entity', async () => {
  const input = await prepare('features-fault');
  const plan = new FaultPlan(1);
  const storage = { ...env.storage, table: async (name: string) => plan.wrap(name, await env.storage.table(name), ['submitTransaction']) };
  await expect(publishFeatures({ ...env.deps(), storage: () => storage })(input, activityContext(PUBLISH_FEATURES.name))).rejects.toBeInstanceOf(InjectedFault);
  const rerun = await publishFeatures(env.deps())(input, activityContext(PUBLISH_FEATURES.name));
  expect(rerun).toEqual({ entities: ROWS });
});
