import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.host.stop();
});

function contractWithAgeMax(max: number) {
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset: 'replayed' });
  if (!sample.ok) throw new Error(sample.error);
  const contract = structuredClone(sample.value.contract);
  const age = contract.columns.find((c) => c.name === 'age')!;
  age.max = max;
  contract.maxQuarantineRate = 1;
  return contract;
}

it('moves rows that pass a fixed contract from quarantine into the next silver version, once', async () => {
  expect((await app.call('PUT', 'datasets/replayed/contract', JSON.stringify(contractWithAgeMax(40)))).status).toBe(200);
  const run = await app.ingest('replayed', sampleCsv(200, 5));
  expectAccepted(run);
  const quarantined = run.rows.quarantined;
  expect(quarantined).toBeGreaterThan(0);

  expect((await app.call('PUT', 'datasets/replayed/contract', JSON.stringify(contractWithAgeMax(120)))).status).toBe(200);
  const replay = await (await app.call('POST', 'datasets/replayed/quarantine/replay')).json();
  expect(replay).toMatchObject({ status: 'accepted', contractRevision: 2, silverVersion: 2 });
  expect(replay.rows.read).toBe(quarantined);
  expect(replay.rows.accepted + replay.rows.quarantined + replay.rows.duplicates).toBe(quarantined);
  // The fixed contract admits every age the generator writes, so nothing stays quarantined.
  expect(replay.rows.quarantined).toBe(0);
  expect(replay.rows.accepted).toBeGreaterThan(0);

  const again = await (await app.call('POST', 'datasets/replayed/quarantine/replay')).json();
  expect(again.status).toBe('nothing-to-replay');
  expect((await app.call('POST', 'datasets/unknown-ds/quarantine/replay')).status).toBe(404);
});
