import { afterAll, beforeAll, expect, it } from 'vitest';
import { tallyLatencies } from '../../src/Dps.Domain/flow/latency-tally';
import { readTallies, tallyPredictions } from '../../src/Dps.Functions/flow/latency-tally-store';
import { startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
  await env.storage.blobs.getContainerClient(env.settings.containers.reports).createIfNotExists();
}, 60_000);
afterAll(async () => {
  await env?.azurite.stop();
});

const served = (latencyMs: number, partition: string, sequence: number, at: string) => ({ model: 'churn', latencyMs, at, partition, sequence });

it('tallies served predictions per day, merges concurrent batches, counts a redelivered batch once and reads the window\'s days', async () => {
  const deps = env.deps();
  const day1 = [served(40, '0', 1, '2026-11-29T23:59:00.000Z'), served(900, '0', 2, '2026-11-30T00:00:01.000Z')];
  const day2 = Array.from({ length: 20 }, (_, i) => served(10 + i, String(i % 4), 10 + i, '2026-11-30T08:00:00.000Z'));
  // Four partitions' batches at once race for the same day's blob; a lost race reads again.
  await Promise.all([tallyPredictions(deps, day1), ...[0, 1, 2, 3].map((k) => tallyPredictions(deps, day2.filter((p) => p.partition === String(k))))]);
  await tallyPredictions(deps, day1);
  const both = await readTallies(deps, { from: '2026-11-29T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' });
  const counts = tallyLatencies(both);
  expect(counts.reduce((sum, c) => sum + c.count, 0)).toBe(22);
  expect(counts.filter((c) => c.ms > 500)).toEqual([{ ms: 900, count: 1 }]);
  const lastDay = await readTallies(deps, { from: '2026-11-30T00:00:00.000Z', to: '2026-11-30T12:00:00.000Z' });
  expect(tallyLatencies(lastDay).reduce((sum, c) => sum + c.count, 0)).toBe(21);
}, 60_000);
