import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './data-harness';

const ws = cliWorkspace();

async function duckdb(sql: string): Promise<Array<Record<string, unknown>>> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

describe('dps sample --format parquet', () => {
  it('writes typed Parquet that DuckDB reads as the CSV of the same seed, and that validates like it', async () => {
    expect((await ws.run('sample', '--rows', '3000', '--seed', '5', '--format', 'parquet', '--out', 's.parquet', '--contract-out', 's.contract.json')).code).toBe(0);
    expect((await ws.run('sample', '--rows', '3000', '--seed', '5', '--out', 's.csv')).code).toBe(0);
    const pq = path.join(ws.dir, 's.parquet');
    const csv = path.join(ws.dir, 's.csv');
    const types = await duckdb(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${pq}')`);
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      customer_id: 'BIGINT', email: 'VARCHAR', signup_date: 'DATE', age: 'BIGINT', income: 'DOUBLE', plan: 'VARCHAR',
      region: 'VARCHAR', autopay: 'BOOLEAN', support_calls: 'BIGINT', tenure_months: 'BIGINT', churned: 'VARCHAR',
    });
    // The same rows: every Parquet row is in the CSV (read with 'NA' and empty as nulls) and the counts match.
    const [same] = await duckdb(`SELECT
        (SELECT count(*) FROM '${pq}') AS rows,
        (SELECT count(*) FROM (SELECT * EXCLUDE (income), round(income, 6) AS income FROM '${pq}'
          EXCEPT SELECT * EXCLUDE (income), round(income, 6) AS income FROM read_csv('${csv}', header = true, nullstr = ['NA', ''], types = {'churned': 'VARCHAR', 'autopay': 'BOOLEAN'}))) AS missing,
        (SELECT count(*) - count(age) FROM '${pq}') AS null_ages`);
    expect(Number(same.rows)).toBe(3000);
    expect(Number(same.missing)).toBe(0);
    expect(Number(same.null_ages)).toBeGreaterThan(0);

    const fromParquet = await ws.run('validate', '--data', 's.parquet', '--contract', 's.contract.json');
    const fromCsv = await ws.run('validate', '--data', 's.csv', '--contract', 's.contract.json');
    expect(fromParquet.code).toBe(0);
    expect(fromParquet.stdout.split('\n')[1]).toBe(fromCsv.stdout.split('\n')[1]);
  });

  it('needs --out and a known format', async () => {
    expect(await ws.run('sample', '--rows', '5', '--format', 'parquet')).toMatchObject({ code: 1, stderr: expect.stringContaining('--format parquet needs --out FILE') });
    expect(await ws.run('sample', '--rows', '5', '--format', 'orc')).toMatchObject({ code: 1, stderr: expect.stringContaining("--format must be csv or parquet (got 'orc')") });
  });
});
