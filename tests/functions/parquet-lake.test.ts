import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { readSilverRows } from '../../src/Dps.Functions/datasets/silver-rows';
import { expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

// The independent-reader proof (issue 17 item 5): the silver and gold Parquet the app wrote, read by
// DuckDB's own Parquet reader from a copy of the containers, hold the rows, types and counts the app reported.
let app: Awaited<ReturnType<typeof startApp>>;
let dir: string;
let db: DuckDBInstance;
let sql: DuckDBConnection;

beforeAll(async () => {
  app = await startApp({ DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false' });
  dir = mkdtempSync(path.join(tmpdir(), 'dps-lake-'));
  db = await DuckDBInstance.create(':memory:');
  sql = await db.connect();
});
afterAll(async () => {
  sql?.closeSync();
  db?.closeSync();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await app?.host.stop();
});

/** Downloads every blob of a container under `prefix` to `dir/{container}/...`, as a lake tool would see the account. */
async function download(container: string, prefix: string): Promise<string[]> {
  const client = app.host.storage.blobs.getContainerClient(container);
  const names: string[] = [];
  for await (const item of client.listBlobsFlat({ prefix })) {
    const file = path.join(dir, container, item.name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, await client.getBlobClient(item.name).downloadToBuffer());
    names.push(item.name);
  }
  return names;
}

const rowsOf = async (query: string) => (await sql.runAndReadAll(query)).getRowObjectsJS();

/** The sample's contract (label `churned`, PII hashed and dropped) with ages above `max` quarantined. */
function contractWithAgeMax(max: number) {
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset: 'lake' });
  if (!sample.ok) throw new Error(sample.error);
  const contract = structuredClone(sample.value.contract);
  contract.columns.find((c) => c.name === 'age')!.max = max;
  contract.maxQuarantineRate = 1;
  return contract;
}

it('writes silver Hive-partitioned by version and gold training sets that DuckDB reads with the reported rows, types and counts', async () => {
  // Version 1: a batch (trained on); version 2: its quarantined rows replayed under a fixed contract (no second training run).
  expect((await app.call('PUT', 'datasets/lake/contract', JSON.stringify(contractWithAgeMax(45)))).status).toBe(200);
  const run = await app.ingest('lake', sampleCsv(200, 7));
  expectAccepted(run);
  expect((await app.call('PUT', 'datasets/lake/contract', JSON.stringify(contractWithAgeMax(120)))).status).toBe(200);
  const replay = await (await app.call('POST', 'datasets/lake/quarantine/replay')).json();
  expect(replay).toMatchObject({ status: 'accepted', silverVersion: 2 });
  expect(replay.rows.accepted).toBeGreaterThan(0);
  const dataset = await (await app.call('GET', 'datasets/lake')).json();
  const versions = dataset.silverVersions as Array<{ version: number; silver: { name: string } }>;

  const silverNames = await download('silver', 'lake/');
  expect(silverNames.sort()).toEqual(versions.map((v) => v.silver.name).sort());
  expect(run.silver.blob.name).toMatch(/^lake\/version=1\/part-[0-9a-f]{64}\.r1\.parquet$/);
  expect(versions[1].silver.name).toMatch(/^lake\/version=2\/part-replay-[0-9a-f]{64}\.r2\.parquet$/);
  // The glob docs/pipeline.md gives (version=*: test sets live beside the partitions).
  const silver = `read_parquet('${path.join(dir, 'silver', 'lake')}/version=*/*.parquet', hive_partitioning = true)`;

  // Counts per version partition are the accepted rows each run reported.
  expect(await rowsOf(`SELECT version::INTEGER AS version, count(*)::INTEGER AS n FROM ${silver} GROUP BY ALL ORDER BY version`))
    .toEqual([{ version: 1, n: run.rows.accepted }, { version: 2, n: replay.rows.accepted }]);
  // Partition pruning: a filter on version reads that partition alone.
  expect(await rowsOf(`SELECT count(*)::INTEGER AS n FROM ${silver} WHERE version = 2`)).toEqual([{ n: replay.rows.accepted }]);
  // The replayed rows are those the first contract quarantined (ages above 45).
  expect((await rowsOf(`SELECT min(age)::INTEGER AS low FROM ${silver} WHERE version = 2`))[0].low).toBeGreaterThan(45);

  // Column types as the contract says: PII hashed to text, integers BIGINT, dates DATE, flags BOOLEAN.
  const contract = (await (await app.call('GET', 'datasets/lake/contract')).json()).contract as { columns: Array<{ name: string; type: string; pii?: string }> };
  const expectedType: Record<string, string> = { integer: 'BIGINT', number: 'DOUBLE', boolean: 'BOOLEAN', string: 'VARCHAR', category: 'VARCHAR', date: 'DATE', timestamp: 'TIMESTAMP WITH TIME ZONE' };
  const described = await rowsOf(`DESCRIBE SELECT * FROM ${silver}`);
  const kept = contract.columns.filter((c) => c.pii !== 'drop');
  expect(described.map((r) => [r.column_name, r.column_type])).toEqual([
    ...kept.map((c) => [c.name, c.pii === 'hash' ? 'VARCHAR' : expectedType[c.type]]),
    ['version', 'BIGINT'],
  ]);
  expect(kept.map((c) => c.type)).toEqual(expect.arrayContaining(['integer', 'number', 'boolean', 'date']));

  // Row for row, value for value, DuckDB reads what the app's own reader (profiling, training) reads.
  const asJs = (c: { name: string; type: string }) =>
    c.type === 'integer' ? `${c.name}::DOUBLE AS ${c.name}` : c.type === 'date' ? `strftime(${c.name}, '%Y-%m-%d') AS ${c.name}` : c.name;
  const part = path.join(dir, 'silver', run.silver.blob.name);
  const duckRows = await rowsOf(`SELECT ${kept.map(asJs).join(', ')} FROM read_parquet('${part}', file_row_number = true) ORDER BY file_row_number`);
  expect(duckRows).toHaveLength(run.rows.accepted);
  expect(duckRows).toEqual(await readSilverRows(app.host.storage.blobs, run.silver.blob));
  // PII stays hashed: the hashed column holds 64 hex characters, never the address.
  const hashed = kept.find((c) => c.pii === 'hash');
  expect(hashed).toBeDefined();
  expect(await rowsOf(`SELECT count(*)::INTEGER AS n FROM ${silver} WHERE NOT regexp_full_match(${hashed!.name}, '[0-9a-f]{64}')`)).toEqual([{ n: 0 }]);

  // Gold: the training set of the run, beside its plan, with the split of every row.
  const goldNames = await download('gold', 'lake/');
  expect(goldNames.filter((n) => n.endsWith('.parquet'))).toEqual([`lake/${run.sha256}/training-set.r1.parquet`]);
  const gold = `read_parquet('${path.join(dir, 'gold', 'lake', run.sha256, 'training-set.r1.parquet')}')`;
  const splits = await rowsOf(`SELECT dps_split AS split, count(*)::INTEGER AS n FROM ${gold} GROUP BY ALL ORDER BY split`);
  const bySplit = Object.fromEntries(splits.map((r) => [r.split, r.n]));
  expect(Object.keys(bySplit).sort()).toEqual(['evaluation', 'fit', 'validation']);
  // Every labelled silver row of the window is in exactly one part, and the evaluation part is what the model was evaluated on.
  expect(bySplit.fit + bySplit.validation + bySplit.evaluation).toBe(run.rows.accepted);
  expect(bySplit.evaluation).toBe(run.model.evaluation.rows);
  // Gold rows are silver rows: the same values, column by column.
  const columns = kept.map((c) => c.name).join(', ');
  expect(await rowsOf(`SELECT count(*)::INTEGER AS n FROM (SELECT ${columns} FROM ${gold} EXCEPT ALL SELECT ${columns} FROM ${silver} WHERE version = 1)`)).toEqual([{ n: 0 }]);
}, 120_000);
