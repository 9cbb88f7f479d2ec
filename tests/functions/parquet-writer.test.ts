import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataContract, TypedValue } from '../../src/Dps.Domain/data/contract-types';
import { readSilverRows } from '../../src/Dps.Functions/datasets/silver-rows';
import { getBlob, putBlob } from '../../src/Dps.Functions/storage/blob-io';
import { ParquetBlobWriter, ParquetColumn, silverParquetColumns } from '../../src/Dps.Functions/storage/parquet-writer';
import { readParquetFile, blobParquetSource } from '../../src/Dps.Functions/storage/parquet-reader';
import { startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
});
afterAll(async () => {
  await env?.azurite.stop();
});

const COLUMNS: ParquetColumn[] = [
  { name: 'id', type: 'integer', nullable: false },
  { name: 'income', type: 'number', nullable: true },
  { name: 'autopay', type: 'boolean', nullable: true },
  { name: 'plan', type: 'category', nullable: true },
  { name: 'email', type: 'string', nullable: true },
  { name: 'signup', type: 'date', nullable: true },
  { name: 'seen', type: 'timestamp', nullable: true },
];

/** Rows with every type, nulls in every nullable column, integers beyond 32 bits and dates before 1970. */
function rows(count: number): TypedValue[][] {
  return Array.from({ length: count }, (_, i) => {
    const empty = i % 4 === 3;
    return [
      i === 0 ? 9_007_199_254_740_991 : i - 2,
      empty ? null : i * 1.25,
      empty ? null : i % 2 === 0,
      empty ? null : ['basic', 'premium', 'ünïcode'][i % 3],
      empty ? null : `user${i}@example.com`,
      empty ? null : i === 1 ? '1969-12-31' : `2024-02-${String((i % 28) + 1).padStart(2, '0')}`,
      empty ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, i, 7)).toISOString(),
    ];
  });
}

async function write(name: string, data: TypedValue[][], limits = { rows: 4, bytes: 1 << 20 }) {
  const ref = { container: 'silver', name };
  const writer = await ParquetBlobWriter.open(env.storage.blobs, ref, COLUMNS, limits);
  for (const values of data) await writer.write(values);
  return { ref, written: await writer.close() };
}

const asObjects = (data: TypedValue[][]) => data.map((values) => Object.fromEntries(COLUMNS.map((c, i) => [c.name, values[i]])));

it('writes typed columns in row groups that the app reads back unchanged', async () => {
  const data = rows(10);
  const { ref, written } = await write('types/part-a.parquet', data);
  expect(written).toBe(10);
  const file = await readParquetFile((await blobParquetSource(env.storage.blobs, ref))!);
  // 4 + 4 + 2 rows: the writer cut a row group at its row limit.
  expect(file.rowGroups).toBe(3);
  expect(file.columns.map((c) => [c.name, c.type, c.nullable])).toEqual(COLUMNS.map((c) => [c.name, c.type === 'category' ? 'string' : c.type, c.nullable]));
  expect(await readSilverRows(env.storage.blobs, ref)).toEqual(asObjects(data));
});

it('reads silver written as JSON Lines before Parquet, so the catalogs of existing state still train', async () => {
  const data = rows(5);
  const ref = { container: 'silver', name: 'types/old-batch.r1.jsonl' };
  await putBlob(env.storage.blobs, ref, asObjects(data).map((row) => JSON.stringify(row)).join('\n') + '\n');
  expect(await readSilverRows(env.storage.blobs, ref)).toEqual(asObjects(data));
});

it('cuts row groups by bytes too, and an empty file is a valid file of no rows', async () => {
  const { ref } = await write('types/part-bytes.parquet', rows(9), { rows: 1000, bytes: 100 });
  expect((await readParquetFile((await blobParquetSource(env.storage.blobs, ref))!)).rowGroups).toBeGreaterThan(1);
  const empty = await write('types/part-empty.parquet', []);
  expect(empty.written).toBe(0);
  expect(await readSilverRows(env.storage.blobs, empty.ref)).toEqual([]);
});

it('is read by DuckDB with the same rows and SQL types (BIGINT, DOUBLE, BOOLEAN, VARCHAR, DATE, TIMESTAMPTZ)', async () => {
  const data = rows(10);
  const { ref } = await write('types/part-duck.parquet', data);
  const dir = mkdtempSync(path.join(tmpdir(), 'dps-writer-'));
  const file = path.join(dir, 'part.parquet');
  writeFileSync(file, (await getBlob(env.storage.blobs, ref))!);
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(described.getRowObjectsJS().map((r) => [r.column_name, r.column_type])).toEqual([
      ['id', 'BIGINT'], ['income', 'DOUBLE'], ['autopay', 'BOOLEAN'], ['plan', 'VARCHAR'],
      ['email', 'VARCHAR'], ['signup', 'DATE'], ['seen', 'TIMESTAMP WITH TIME ZONE'],
    ]);
    const read = await connection.runAndReadAll(`SELECT id::VARCHAR AS id, income, autopay, plan, email, strftime(signup, '%Y-%m-%d') AS signup,
      strftime(seen AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%S.%gZ') AS seen FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`);
    const expected = asObjects(data).map((r) => ({ ...r, id: String(r.id) }));
    expect(read.getRowObjectsJS()).toEqual(expected);
    const required = await connection.runAndReadAll(`SELECT repetition_type FROM parquet_schema('${file}') WHERE name = 'id'`);
    expect(required.getRowObjectsJS()).toEqual([{ repetition_type: 'REQUIRED' }]);
  } finally {
    connection.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
});

it('makes a silver column REQUIRED only when the contract lets no null through', () => {
  const column = (name: string, extra: object) => ({ name, type: 'integer', nullable: false, required: true, trim: false, ...extra });
  const contract = {
    contractVersion: 1, dataset: 'd', format: { type: 'jsonl', encoding: 'utf-8' }, missingValues: [''],
    columns: [column('a', {}), column('b', { nullable: true }), column('c', { severity: { null: 'warn' } }), column('d', { severity: { type: 'warn' } }), column('e', { pii: 'hash' }), column('f', { pii: 'drop' })],
  } as DataContract;
  expect(silverParquetColumns(contract)).toEqual([
    { name: 'a', type: 'integer', nullable: false },
    { name: 'b', type: 'integer', nullable: true },
    { name: 'c', type: 'integer', nullable: true },
    { name: 'd', type: 'integer', nullable: true },
    { name: 'e', type: 'string', nullable: false },
  ]);
});
