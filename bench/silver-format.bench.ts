/**
 * Silver format benchmark: the same accepted rows (the synthetic churn sample validated by the batch
 * validator: typed, PII hashed) as silver JSON Lines (what silver was: one JSON object per line) and as the
 * Parquet silver is now (storage/parquet-writer: snappy, 64k-row groups), in bytes per row and
 * compression ratio; plus JSON Lines gzipped, and DuckDB's own Parquet writer (snappy and zstd) on the
 * same rows as a peer for the Parquet size. Without DuckDB (a dev dependency) its rows are skipped with a message.
 * Run: npm run bench silver-format   (DPS_BENCH_ROWS, default 200000)
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ByteWriter } from 'hyparquet-writer';
import { startBatchValidation } from '../src/Dps.Domain/data/batch-validator';
import type { TypedValue } from '../src/Dps.Domain/data/contract-types';
import { formatCsvRow } from '../src/Dps.Domain/data/csv-writer';
import { generateSample } from '../src/Dps.Domain/data/sample-generator';
import { ParquetBlobWriter, silverParquetColumns } from '../src/Dps.Functions/storage/parquet-writer';

const ROWS = Number(process.env.DPS_BENCH_ROWS ?? 200_000);

/** The sample's accepted rows as the validator gives them to the silver writer, and their column names. */
function acceptedRows() {
  const generated = generateSample({ rows: ROWS, seed: 42, drift: 0.3 });
  if (!generated.ok) throw new Error(generated.error);
  const { contract, header } = generated.value;
  const started = startBatchValidation({ contract, piiSalt: 'bench-salt', source: 'bench' });
  if (!started.ok) throw new Error(started.error);
  const rows: TypedValue[][] = [];
  let text = formatCsvRow(header) + '\n';
  const push = (chunk: string) => {
    for (const row of started.value.push(Buffer.from(chunk, 'utf8')).accepted) rows.push([...row.values]);
  };
  for (const row of generated.value.rows()) {
    text += formatCsvRow(row) + '\n';
    if (text.length > 1 << 20) {
      push(text);
      text = '';
    }
  }
  push(text);
  for (const row of started.value.end().accepted) rows.push([...row.values]);
  return { contract, names: started.value.columns.map((c) => c.name), rows };
}

interface Size {
  format: string;
  bytes: number;
  seconds: number;
}

/** Silver as it was: one JSON object per line. */
function jsonLines(names: string[], rows: TypedValue[][]): { text: string; seconds: number } {
  const start = process.hrtime.bigint();
  const lines: string[] = [];
  for (const values of rows) {
    const record: Record<string, TypedValue> = {};
    for (let i = 0; i < names.length; i++) record[names[i]] = values[i];
    lines.push(JSON.stringify(record));
  }
  const text = lines.join('\n') + '\n';
  return { text, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** Silver as it is: the app's Parquet writer into memory (the blob sink stages the same bytes as blocks). */
async function dpsParquet(contract: Parameters<typeof silverParquetColumns>[0], rows: TypedValue[][]): Promise<{ bytes: Uint8Array; seconds: number }> {
  const start = process.hrtime.bigint();
  const sink = new ByteWriter();
  const writer = ParquetBlobWriter.over(sink, silverParquetColumns(contract));
  for (const values of rows) await writer.write(values);
  await writer.close();
  return { bytes: sink.getBytes().slice(), seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

/** DuckDB rewrites the app's Parquet with its own writer (same rows and types); undefined without DuckDB. */
async function duckdbParquet(source: string, dir: string): Promise<Size[] | undefined> {
  let duckdb: typeof import('@duckdb/node-api');
  try {
    duckdb = await import('@duckdb/node-api');
  } catch {
    return undefined;
  }
  const db = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    const sizes: Size[] = [];
    for (const codec of ['snappy', 'zstd']) {
      const file = path.join(dir, `duckdb-${codec}.parquet`);
      const start = process.hrtime.bigint();
      await connection.run(`COPY (SELECT * FROM read_parquet('${source}')) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 65536)`);
      sizes.push({ format: `Parquet, DuckDB ${codec}`, bytes: statSync(file).size, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    }
    return sizes;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dps-silver-format-'));
  try {
    const { contract, names, rows } = acceptedRows();
    console.log(`silver format bench: ${rows.length} accepted rows of ${ROWS} generated, ${names.length} columns`);
    const json = jsonLines(names, rows);
    const jsonBytes = Buffer.byteLength(json.text);
    const t = process.hrtime.bigint();
    const gzipBytes = gzipSync(json.text).length;
    const gzipSeconds = json.seconds + Number(process.hrtime.bigint() - t) / 1e9;
    const parquet = await dpsParquet(contract, rows);
    const file = path.join(dir, 'dps.parquet');
    writeFileSync(file, parquet.bytes);
    const sizes: Size[] = [
      { format: 'JSON Lines (silver before)', bytes: jsonBytes, seconds: json.seconds },
      { format: 'JSON Lines, gzip', bytes: gzipBytes, seconds: gzipSeconds },
      { format: 'Parquet, DPS snappy (silver now)', bytes: parquet.bytes.length, seconds: parquet.seconds },
    ];
    const duck = await duckdbParquet(file, dir);
    if (duck) sizes.push(...duck);
    else console.log('  DuckDB rows skipped: @duckdb/node-api (a dev dependency) is not installed');
    for (const s of sizes) {
      console.log(`  ${s.format.padEnd(34)} ${(s.bytes / 1e6).toFixed(2).padStart(7)} MB  ${(s.bytes / rows.length).toFixed(1).padStart(6)} B/row  ` +
        `JSONL/this ${(jsonBytes / s.bytes).toFixed(2).padStart(5)}x  written in ${s.seconds.toFixed(2)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
