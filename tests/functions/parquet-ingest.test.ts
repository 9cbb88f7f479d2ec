import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, expectAccepted, KEY, startApp } from './fixtures/app-host';
import { duckdbParquet } from '../domain/data/parquet-duckdb';
import { readParquetFile } from '../../src/Dps.Functions/storage/parquet-reader';

// Parquet the project has not written: DuckDB's encoder, dictionary-encoded strings, zstd, nulls, dates,
// timestamps and two row groups (DuckDB rounds row groups up to 2,048 rows; an ORDER BY would make one).
// Rows 1-2000 are distinct; 2001-2100 repeat rows 1-100; every 500th row has a negative amount; every 7th a null region.
const ROWS = `SELECT i AS id,
    CASE WHEN i % 7 = 0 THEN NULL ELSE ['north', 'south', 'east', 'west'][1 + i % 4] END AS region,
    DATE '2024-01-01' + (i % 90)::INTEGER AS day,
    TIMESTAMP '2024-01-01 08:00:00' + INTERVAL (i) MINUTE AS seen_at,
    CASE WHEN i % 500 = 0 THEN -1.5 ELSE (i % 1000) * 0.25 END AS amount,
    i % 3 = 0 AS flag
  FROM (SELECT n, CASE WHEN n > 2000 THEN n - 2000 ELSE n END AS i FROM range(1, 2101) t(n))`;

const CONTRACT = (dataset: string) => ({
  contractVersion: 1,
  dataset,
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'region', type: 'category', values: ['north', 'south', 'east', 'west'] },
    { name: 'day', type: 'date', min: '2024-01-01' },
    { name: 'seen_at', type: 'timestamp' },
    { name: 'amount', type: 'number', min: 0 },
    { name: 'flag', type: 'boolean' },
  ],
});

let app: Awaited<ReturnType<typeof startApp>>;
let parquet: Uint8Array;

beforeAll(async () => {
  [app, parquet] = await Promise.all([startApp(), duckdbParquet(ROWS)]);
});
afterAll(async () => {
  await app?.host.stop();
});

const post = (dataset: string, body: Uint8Array | string, contentType = 'application/vnd.apache.parquet') =>
  fetch(`${app.host.baseUrl}/api/datasets/${dataset}/ingest?code=${KEY}`, { method: 'POST', body, headers: { 'Content-Type': contentType } });

async function putContract(dataset: string, contract: object = CONTRACT(dataset)): Promise<void> {
  expect((await app.call('PUT', `datasets/${dataset}/contract`, JSON.stringify(contract))).status).toBe(200);
}

async function bronzeBlobs(dataset: string): Promise<string[]> {
  const names: string[] = [];
  const container = app.host.storage.blobs.getContainerClient('bronze');
  if (!(await container.exists())) return names;
  for await (const blob of container.listBlobsFlat({ prefix: `${dataset}/` })) names.push(blob.name);
  return names;
}

describe('Parquet ingest', () => {
  it('validates a posted Parquet file row by row: rows add up, bad rows quarantined by file row, repeats dropped', async () => {
    expect((await readParquetFile(parquet)).rowGroups).toBe(2);
    await putContract('pqorders');
    const res = await post('pqorders', parquet);
    expect(res.status).toBe(202);
    const run = await app.finishedRun((await res.json()).instanceId);
    expectAccepted(run);
    // 2000 distinct rows of which 4 have a negative amount (rows 500, 1000, 1500, 2000); 100 repeats of rows 1-100.
    expect(run.rows).toEqual({ read: 2100, accepted: 2000 - 4, quarantined: 4, duplicates: 100 });
    const quarantine = run.layers.quarantine;
    const lines = (await app.host.storage.readBlob(`${quarantine.container}/${quarantine.name}`))!.toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((q: { row: number }) => q.row)).toEqual([500, 1000, 1500, 2000]);
    expect(lines[0].errors).toEqual([expect.objectContaining({ rule: 'range', column: 'amount' })]);
    expect(JSON.parse(lines[0].text)).toMatchObject({ id: 500, day: '2024-02-20', amount: -1.5 });
  });

  it('infers a contract from a landed Parquet file and validates it the same way', async () => {
    const container = app.host.storage.blobs.getContainerClient('landing');
    await container.createIfNotExists();
    await container.getBlockBlobClient('pqlanded/orders.parquet').uploadData(Buffer.from(parquet));
    const run = await eventually(async () => {
      const dataset = await app.call('GET', 'datasets/pqlanded');
      if (dataset.status !== 200) return undefined;
      return (await dataset.json()).runs.find((r: { status: string }) => r.status === 'accepted');
    });
    expect(run.rows.read).toBe(2100);
    expect(run.rows.read).toBe(run.rows.accepted + run.rows.quarantined + run.rows.duplicates);
    expect(run.rows.duplicates).toBe(100);
    const contract = (await (await app.call('GET', 'datasets/pqlanded/contract')).json()).contract;
    expect(contract.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'region:category', 'day:date', 'seen_at:timestamp', 'amount:number', 'flag:boolean']);
    expect(contract.columns[1]).toMatchObject({ nullable: true, values: ['east', 'north', 'south', 'west'] });
  });

  it('answers 400 naming the column and rule when the schema does not fit the stored contract, and lands nothing', async () => {
    const contract = CONTRACT('pqstrict');
    contract.columns.push({ name: 'customer', type: 'string', nullable: false });
    contract.columns[5] = { name: 'flag', type: 'integer', nullable: true };
    await putContract('pqstrict', contract);
    const res = await post('pqstrict', parquet);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.details.errors.map((e: { rule: string; column: string }) => `${e.rule}:${e.column}`)).toEqual(['type:flag', 'missing-column:customer']);
    expect(body.error).toContain("column 'flag' is BOOLEAN in http:pqstrict");
    expect(await bronzeBlobs('pqstrict')).toEqual([]);
    // Declared Parquet but not: a 400 too.
    expect((await post('pqstrict', 'id,flag\n1,true\n')).status).toBe(400);
  });

  it('rejects a landed Parquet file whose schema does not fit, naming column and rule, with no silver', async () => {
    const contract = CONTRACT('pqlandstrict');
    contract.columns[4] = { name: 'amount', type: 'boolean', nullable: true };
    await putContract('pqlandstrict', contract);
    const container = app.host.storage.blobs.getContainerClient('landing');
    await container.getBlockBlobClient('pqlandstrict/orders.parquet').uploadData(Buffer.from(parquet));
    const run = await eventually(async () => {
      const dataset = await app.call('GET', 'datasets/pqlandstrict');
      if (dataset.status !== 200) return undefined;
      return (await dataset.json()).runs.find((r: { status: string }) => r.status === 'rejected');
    });
    expect(run.rows.read).toBe(0);
    const dataset = await (await app.call('GET', 'datasets/pqlandstrict')).json();
    expect(dataset.silverVersions).toHaveLength(0);
    expect(run.errors.join(' ')).toMatch(/type \(column 'amount'\): column 'amount' is FIXED_LEN_BYTE_ARRAY \(DECIMAL\) in landing\/pqlandstrict\/orders.parquet/);
  });
});
