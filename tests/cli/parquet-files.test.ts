import { describe, expect, it } from 'vitest';
import { cliWorkspace, jsonReport } from './data-harness';
import { duckdbParquet } from '../domain/data/parquet-duckdb';
import { readParquetFile } from '../../src/Dps.Functions/storage/parquet-reader';

const ws = cliWorkspace();

// Written by DuckDB: 2,500 rows in two row groups, a null every 10th city, one negative age at row 1,234.
const PEOPLE = `SELECT i AS id, CASE WHEN i = 1234 THEN -5 ELSE 20 + i % 50 END AS age,
    CASE WHEN i % 10 = 0 THEN NULL ELSE 'city' || (i % 7) END AS city, DATE '2023-06-01' + (i % 200)::INTEGER AS joined
  FROM range(1, 2501) t(i)`;

describe('dps contract infer / validate on Parquet', () => {
  it('infers a contract typed by the Parquet schema and validates the file against it', async () => {
    const bytes = await duckdbParquet(PEOPLE);
    expect((await readParquetFile(bytes)).rowGroups).toBe(2);
    ws.write('people.parquet', bytes);
    const inferred = await ws.run('contract', 'infer', '--data', 'people.parquet');
    expect(inferred.code).toBe(0);
    const contract = JSON.parse(inferred.stdout);
    expect(contract).toMatchObject({ dataset: 'people', format: { type: 'jsonl' }, primaryKey: ['id'] });
    expect(contract.columns.map((c: { name: string; type: string; nullable: boolean }) => `${c.name}:${c.type}:${c.nullable}`)).toEqual(['id:integer:false', 'age:integer:false', 'city:category:true', 'joined:date:false']);
    expect(inferred.stderr).toContain('note: read from a Parquet file');

    const r = await ws.run('validate', '--data', 'people.parquet', '--json');
    expect(r.code).toBe(0);
    expect(jsonReport(r).rows).toEqual({ read: 2500, accepted: 2500, quarantined: 0, duplicates: 0 });
  });

  it('quarantines rows by their row in the file and rejects a schema that does not fit before reading rows', async () => {
    ws.write('people.parquet', await duckdbParquet(PEOPLE));
    const columns = [{ name: 'id', type: 'integer', nullable: false }, { name: 'age', type: 'integer', min: 0 }, { name: 'city', type: 'string' }, { name: 'joined', type: 'date' }];
    ws.write('people.contract.json', JSON.stringify({ contractVersion: 1, dataset: 'people', columns }));
    const r = await ws.run('validate', '--data', 'people.parquet', '--contract', 'people.contract.json', '--json');
    expect(r.code).toBe(0);
    const report = jsonReport(r);
    expect(report.rows).toEqual({ read: 2500, accepted: 2499, quarantined: 1, duplicates: 0 });
    expect(report.quarantine.samples.map((s: { row: number }) => s.row)).toEqual([1234]);

    ws.write('strict.contract.json', JSON.stringify({ contractVersion: 1, dataset: 'people', columns: [...columns.slice(0, 3), { name: 'joined', type: 'boolean' }, { name: 'email', type: 'string' }] }));
    const strict = await ws.run('validate', '--data', 'people.parquet', '--contract', 'strict.contract.json', '--json');
    expect(strict.code).toBe(2);
    const rejected = jsonReport(strict);
    expect(rejected.rows.read).toBe(0);
    expect(rejected.errors.map((e: { rule: string; column: string }) => `${e.rule}:${e.column}`)).toEqual(['type:joined', 'missing-column:email']);
    expect(strict.stderr).toBe("dps validate: rejected: type (column 'joined'): column 'joined' is INT32 (DATE) in people.parquet, whose values are date; the contract declares boolean\n");
  });

  it('says in one line that a file with the Parquet magic at both ends but a broken footer cannot be read', async () => {
    const bytes = await duckdbParquet('SELECT 1 AS a');
    // Keep the magic at both ends, scramble the footer before it.
    const broken = new Uint8Array(bytes);
    for (let i = broken.length - 40; i < broken.length - 8; i++) broken[i] = 0xff;
    ws.write('broken.parquet', broken);
    const r = await ws.run('validate', '--data', 'broken.parquet');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dps validate: error: broken\.parquet: the Parquet footer cannot be read \(.+\)\n$/);
  });
});
