import { open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatCsvRow } from '../../Dps.Domain/data/csv-writer';
import { generateSample, SampleDataset } from '../../Dps.Domain/data/sample-generator';
import { parseTyped } from '../../Dps.Domain/data/value-parsing';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { ParquetBlobWriter } from '../../Dps.Functions/storage/parquet-writer';
import { ParquetFileSink } from '../io/parquet-file-sink';
import { parseArgs, requireOption } from '../args';
import { CliCommand, CliIo, UsageError } from '../command';

const usage = `Usage: dps sample --rows N [--seed S] [--drift X] [--out FILE] [--format csv|parquet] [--contract-out FILE] [--dataset NAME]

Writes a synthetic customer-churn dataset as CSV (to stdout, or FILE) or, with --format parquet, as a
Parquet FILE (--out required; typed columns as the contract declares, missing values as nulls, snappy,
row groups of 64k rows): a key (customer_id), PII (email),
a date, integers, a number, categories, a boolean, missing values ('NA' and empty) and the label
'churned' from a known rule. --drift 0..1 shifts the feature distributions (covariate shift; the label
rule stays). --seed (default 1) makes it reproducible. --contract-out writes the matching contract.
Exit codes: 0 written, 1 usage or I/O error.
`;

// Lines are written in blocks so stdout and files see few large writes.
const BLOCK_LINES = 4096;

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got '${value}')`);
  return n;
}

/** Writes the sample as a typed Parquet file: each cell parsed by its column's type, missing tokens as null; returns the rows written. */
async function writeParquet(dataset: SampleDataset, file: string): Promise<number> {
  const { columns, missingValues } = dataset.contract;
  const missing = new Set(missingValues);
  let writer: ParquetBlobWriter;
  try {
    writer = ParquetBlobWriter.over(new ParquetFileSink(file), columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable })));
  } catch (e) {
    throw new UsageError(`cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  for (const row of dataset.rows()) {
    await writer.write(row.map((text, i): TypedValue => (missing.has(text) ? null : (parseTyped(columns[i].type, text) ?? null))));
  }
  return writer.close();
}

async function withOutput(file: string | undefined, io: CliIo, body: (write: (text: string) => Promise<void>) => Promise<void>): Promise<void> {
  if (file === undefined) return body(async (text) => io.stdout(text));
  let handle;
  try {
    handle = await open(path.resolve(io.cwd, file), 'w');
  } catch (e) {
    throw new UsageError(`cannot write '${file}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    await body(async (text) => {
      await handle.write(text);
    });
  } finally {
    await handle.close();
  }
}

/** `dps sample`: synthetic data with a learnable label, for demos, tests and benchmarks. */
export const sampleCommand: CliCommand = {
  path: ['sample'],
  summary: 'write a synthetic churn dataset (CSV or Parquet) and its contract',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['rows', 'seed', 'drift', 'out', 'format', 'contract-out', 'dataset']);
    const format = args.options.get('format') ?? 'csv';
    if (format !== 'csv' && format !== 'parquet') throw new UsageError(`--format must be csv or parquet (got '${format}')`);
    const rows = numberOption(requireOption(args, 'rows'), 'rows', 0);
    const dataset = generateSample({ rows, seed: numberOption(args.options.get('seed'), 'seed', 1), drift: numberOption(args.options.get('drift'), 'drift', 0), dataset: args.options.get('dataset') });
    if (!dataset.ok) throw new UsageError(dataset.error);
    const contractOut = args.options.get('contract-out');
    if (contractOut !== undefined) {
      await writeFile(path.resolve(io.cwd, contractOut), JSON.stringify(dataset.value.contract, null, 2) + '\n').catch((e: NodeJS.ErrnoException) => {
        throw new UsageError(`cannot write '${contractOut}': ${e.code ?? e.message}`);
      });
    }
    const out = args.options.get('out');
    let lines = 0;
    if (format === 'parquet') {
      if (out === undefined) throw new UsageError('--format parquet needs --out FILE (Parquet is binary and written with its footer at the end)');
      lines = await writeParquet(dataset.value, path.resolve(io.cwd, out));
    } else await withOutput(out, io, async (write) => {
      let block = formatCsvRow(dataset.value.header) + '\n';
      for (const row of dataset.value.rows()) {
        block += formatCsvRow(row) + '\n';
        if (++lines % BLOCK_LINES === 0) {
          await write(block);
          block = '';
        }
      }
      if (block) await write(block);
    });
    // Data on stdout stays clean; a file written is said on stderr, as a person running it wants to know.
    if (out !== undefined) io.stderr(`dps sample: wrote ${lines} rows to ${out}${contractOut !== undefined ? ` and the contract to ${contractOut}` : ''}\n`);
    else if (contractOut !== undefined) io.stderr(`dps sample: wrote the contract to ${contractOut}\n`);
    return 0;
  },
};
