import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Writes a Parquet file with DuckDB (an independent writer: its own encoder, dictionary pages, zstd)
 * from a SELECT, and returns its bytes.
 */
export async function duckdbParquet(select: string, options: { rowGroupSize?: number; compression?: string } = {}): Promise<Uint8Array> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dps-parquet-'));
  const file = path.join(dir, 'data.parquet');
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${options.rowGroupSize ?? 1000}, COMPRESSION ${options.compression ?? 'zstd'})`);
    return new Uint8Array(readFileSync(file));
  } finally {
    connection.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}
