/**
 * Validation benchmark: streaming validation (parse + row rules + dedup + PII hashing) against parsing
 * alone with the same parser, on the same generated file in the same run; then the same rows as Parquet
 * (written from the CSV by DuckDB, an independent writer: its types, dictionaries, zstd) validated by row
 * group, against decoding alone with the same reader. Each phase runs in its own child process so its
 * peak RSS is its own; phases alternate, best and median of DPS_BENCH_RUNS (5) runs. Without DuckDB
 * (a dev dependency) the Parquet phases are skipped with a message.
 * Run: npx tsc -p . && node dist/bench/validation.bench.js   (DPS_BENCH_ROWS=10000000 for ~1 GB;
 * DPS_BENCH_PHASES=parse,validate runs only the CSV phases, for iterating on CSV validation)
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBatchValidation } from '../src/Dps.Domain/data/batch-validator';
import type { DataContract } from '../src/Dps.Domain/data/contract-types';
import { createRecordParser } from '../src/Dps.Domain/data/record-parser';
import { formatCsvRow } from '../src/Dps.Domain/data/csv-writer';
import { generateSample } from '../src/Dps.Domain/data/sample-generator';
import { readFileChunks } from '../src/Dps.Cli/io/record-file-reader';
import { openParquetFile } from '../src/Dps.Cli/io/parquet-file';
import { parquetOutputs } from '../src/Dps.Functions/ingest/batch-input';
import { readParquetRowGroups } from '../src/Dps.Functions/storage/parquet-reader';

const ROWS = Number(process.env.DPS_BENCH_ROWS ?? 1_000_000);
// Phases alternate and the fastest run of each counts (the median is shown too): shared machines are noisy.
const RUNS = Number(process.env.DPS_BENCH_RUNS ?? 5);
// The phases to run (default all); without 'parse' and 'validate' no ratio is printed.
const ONLY = process.env.DPS_BENCH_PHASES?.split(',').map((p) => p.trim());
const SEED = 42;

interface PhaseResult {
  phase: string;
  rows: number;
  seconds: number;
  /** CPU time of the phase's process (all its threads, GC included): on a shared, loaded machine a steadier measure than wall time. */
  cpuSeconds: number;
  peakRssMb: number;
  detail: string;
}

function sample() {
  const generated = generateSample({ rows: ROWS, seed: SEED, drift: 0.3 });
  if (!generated.ok) throw new Error(generated.error);
  return generated.value;
}

async function writeSample(file: string): Promise<void> {
  const data = sample();
  const handle = await open(file, 'w');
  let block = formatCsvRow(data.header) + '\n';
  let n = 0;
  for (const row of data.rows()) {
    block += formatCsvRow(row) + '\n';
    if (++n % 8192 === 0) {
      await handle.write(block);
      block = '';
    }
  }
  await handle.write(block);
  await handle.close();
}

/** The peer: the parser validation uses (createRecordParser on the same contract), the same file reader and chunks, records only counted. */
/** Starts timing a phase: wall and CPU seconds at stop(). */
function startClock() {
  const wall = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  return () => {
    const used = process.cpuUsage(cpu);
    return { seconds: Number(process.hrtime.bigint() - wall) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
  };
}

async function parseOnly(file: string): Promise<PhaseResult> {
  const parser = createRecordParser(sample().contract.format);
  const stop = startClock();
  let records = 0;
  // Validation hands the parser each 64 KiB chunk from the reader whole (its slices are 64 KiB), so the peer does too.
  for await (const chunk of readFileChunks(file)) records += parser.push(chunk).length;
  records += parser.end().length;
  const { seconds, cpuSeconds } = stop();
  return { phase: 'parse', rows: records - 1, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, detail: '' };
}

/** The sample contract without one of validation's costly parts, to measure what that part costs (phases validate-no-*). */
type Without = 'pii' | 'pattern' | 'dedup';

function contractWithout(without: Without | undefined): DataContract {
  const contract = sample().contract;
  if (without === 'dedup') return contract;
  const key = without === 'pii' ? 'pii' : 'pattern';
  return { ...contract, columns: contract.columns.map((c) => (without && c[key] !== undefined ? { ...c, [key]: undefined } : c)) };
}

async function validateAll(file: string, without?: Without): Promise<PhaseResult> {
  const started = startBatchValidation({ contract: contractWithout(without), keepRepeats: without === 'dedup', piiSalt: 'bench-salt', source: file });
  if (!started.ok) throw new Error(started.error);
  const stop = startClock();
  for await (const chunk of readFileChunks(file)) started.value.push(chunk);
  const { report } = started.value.end();
  const { seconds, cpuSeconds } = stop();
  // Not timed, but in the peak RSS: the pipeline keeps this state for the dataset's next batch.
  const dedup = started.value.dedupState();
  const { read, accepted, quarantined, duplicates } = report.rows;
  const detail = `${report.status}: ${accepted} accepted, ${quarantined} quarantined, ${duplicates} duplicates; dedup state ${(dedup.entries.reduce((n, c) => n + c.length, 0) / 1e6).toFixed(1)} MB base64`;
  return { phase: without ? `validate-no-${without}` : 'validate', rows: read, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, detail };
}

async function parquetFile(file: string) {
  const parquet = await openParquetFile(file);
  if (!parquet) throw new Error(`${file} is not a Parquet file`);
  return parquet;
}

/** The Parquet peer: the reader validation uses, row groups decoded into row objects and counted. */
async function parquetReadOnly(file: string): Promise<PhaseResult> {
  const stop = startClock();
  let rows = 0;
  for await (const group of readParquetRowGroups(await parquetFile(file))) rows += group.length;
  const { seconds, cpuSeconds } = stop();
  return { phase: 'pq-read', rows, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, detail: '' };
}

/** Parquet through the batch validator as the pipeline feeds it: schema check, then one row group at a time. */
async function parquetValidate(file: string): Promise<PhaseResult> {
  const started = startBatchValidation({ contract: sample().contract, piiSalt: 'bench-salt', source: file });
  if (!started.ok) throw new Error(started.error);
  const stop = startClock();
  for await (const output of parquetOutputs(started.value, await parquetFile(file))) void output;
  const { report } = started.value.end();
  const { seconds, cpuSeconds } = stop();
  const { read, accepted, quarantined, duplicates } = report.rows;
  const detail = `${report.status}: ${accepted} accepted, ${quarantined} quarantined, ${duplicates} duplicates${report.errors.length ? `; ${report.errors[0].message}` : ''}`;
  return { phase: 'pq-validate', rows: read, seconds, cpuSeconds, peakRssMb: process.resourceUsage().maxRSS / 1024, detail };
}

/**
 * The CSV as Parquet, written by DuckDB (typed by its CSV sniffer, 'NA' and empty as nulls; the label
 * stays text, as the contract's no/yes domain says, where the sniffer would make it BOOLEAN); false without DuckDB.
 */
async function writeParquet(csv: string, file: string): Promise<boolean> {
  let duckdb: typeof import('@duckdb/node-api');
  try {
    duckdb = await import('@duckdb/node-api');
  } catch {
    return false;
  }
  const db = await duckdb.DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  try {
    await connection.run(`COPY (SELECT * FROM read_csv('${csv}', header = true, nullstr = ['NA', ''], types = {'churned': 'VARCHAR'})) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
    return true;
  } finally {
    connection.closeSync();
    db.closeSync();
  }
}

const PHASES: Record<string, (file: string) => Promise<PhaseResult>> = {
  parse: parseOnly,
  validate: (file) => validateAll(file),
  'pq-read': parquetReadOnly,
  'pq-validate': parquetValidate,
  // Only when named in DPS_BENCH_PHASES: validation with PII hashing, patterns or dedup (lookups; hashes are still computed) left out.
  'validate-no-pii': (file) => validateAll(file, 'pii'),
  'validate-no-pattern': (file) => validateAll(file, 'pattern'),
  'validate-no-dedup': (file) => validateAll(file, 'dedup'),
};
const EXTRA_PHASES = ['validate-no-pii', 'validate-no-pattern', 'validate-no-dedup'];

function runPhase(phase: string, file: string): Promise<PhaseResult> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, ['--phase', phase, file], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolve(m as PhaseResult));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`${phase} phase exited with ${code}`)));
  });
}

/** Generates the file, runs both phases and prints throughput, peak RSS and the ratio. */
export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dps-validation-bench-'));
  const file = path.join(dir, 'sample.csv');
  try {
    const t0 = Date.now();
    await writeSample(file);
    const mb = statSync(file).size / 1e6;
    console.log(`validation bench: ${ROWS} rows, ${mb.toFixed(1)} MB generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const pqFile = path.join(dir, 'sample.parquet');
    const t1 = Date.now();
    const wantParquet = !ONLY || ONLY.some((p) => p.startsWith('pq-'));
    const withParquet = wantParquet && (await writeParquet(file, pqFile));
    if (withParquet) console.log(`  the same rows as Parquet (DuckDB, zstd): ${(statSync(pqFile).size / 1e6).toFixed(1)} MB written in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    else if (wantParquet) console.log('  Parquet phases skipped: @duckdb/node-api (a dev dependency) is not installed');
    const phases = [...(withParquet ? ['parse', 'validate', 'pq-read', 'pq-validate'] : ['parse', 'validate']), ...EXTRA_PHASES].filter((p) => (ONLY ? ONLY.includes(p) : !EXTRA_PHASES.includes(p)));
    const runs: Record<string, PhaseResult[]> = Object.fromEntries(phases.map((p) => [p, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const phase of phases) runs[phase].push(await runPhase(phase, phase.startsWith('pq-') ? pqFile : file));
    }
    const seconds = (phase: string) => runs[phase].map((r) => r.seconds).sort((a, b) => a - b);
    const best = (phase: string) => seconds(phase)[0];
    const median = (phase: string) => {
      const s = seconds(phase);
      return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    };
    console.log(`  best (median) of ${RUNS} alternated runs each; peak RSS is the highest seen`);
    const width = Math.max(8, ...phases.map((p) => p.length));
    for (const phase of phases) {
      const r = runs[phase][0];
      const peak = Math.max(...runs[phase].map((x) => x.peakRssMb));
      console.log(
        `  ${phase.padEnd(width)} ${(r.rows / best(phase) / 1e3).toFixed(0).padStart(6)} (${(r.rows / median(phase) / 1e3).toFixed(0)}) k rows/s  ` +
          `${phase.startsWith('pq-') ? '' : `${(mb / best(phase)).toFixed(1).padStart(6)} (${(mb / median(phase)).toFixed(1)}) MB/s  `}${best(phase).toFixed(2)} (${median(phase).toFixed(2)}) s  peak RSS ${peak.toFixed(0)} MB  ${r.detail}`,
      );
    }
    const cpu = (phase: string) => Math.min(...runs[phase].map((r) => r.cpuSeconds));
    console.log(`  CPU seconds (best): ${phases.map((p) => `${p} ${cpu(p).toFixed(2)}`).join(', ')}`);
    const has = (...names: string[]) => names.every((p) => phases.includes(p));
    const parts = EXTRA_PHASES.filter((p) => has('validate', p));
    if (parts.length > 0) console.log(`  CPU seconds each part costs (validate minus validate without it): ${parts.map((p) => `${p.slice('validate-no-'.length)} ${(cpu('validate') - cpu(p)).toFixed(2)}`).join(', ')}`);
    if (has('parse', 'validate')) console.log(
      `  validate / parse-only throughput: ${(best('parse') / best('validate')).toFixed(2)}x best, ${(median('parse') / median('validate')).toFixed(2)}x median, ${(cpu('parse') / cpu('validate')).toFixed(2)}x by CPU time (target >= 0.5x)`,
    );
    if (has('pq-read', 'pq-validate')) console.log(`  Parquet validate / Parquet read-only: ${(best('pq-read') / best('pq-validate')).toFixed(2)}x best, ${(median('pq-read') / median('pq-validate')).toFixed(2)}x median`);
    if (has('validate', 'pq-validate')) console.log(`  Parquet validate / CSV validate: ${(best('validate') / best('pq-validate')).toFixed(2)}x best, ${(median('validate') / median('pq-validate')).toFixed(2)}x median (rows/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function phaseMain(phase: string, file: string): Promise<void> {
  const result = await PHASES[phase](file);
  process.send?.(result);
}

if (require.main === module) {
  const at = process.argv.indexOf('--phase');
  const work = at >= 0 ? phaseMain(process.argv[at + 1], process.argv[at + 2]) : run();
  work.catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
