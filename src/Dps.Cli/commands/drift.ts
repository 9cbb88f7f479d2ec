import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { DriftThresholdOverrides, DriftThresholds, resolveDriftThresholds } from '../../Dps.Domain/drift/drift-thresholds';
import { DatasetDrift, compareDatasets } from '../../Dps.Domain/drift/exact-comparison';
import type { FeatureDrift } from '../../Dps.Domain/drift/feature-drift';
import { parseArgs, requireOption } from '../args';
import { CliCommand, CliIo, UsageError } from '../command';
import { readContractFile, readInputFile } from '../input-file';
import { DriftColumns, readDriftColumns } from './drift-columns';
import { inferForCommand } from './inferred-contract';

const usage = `Usage: dps drift --reference FILE --current FILE [--contract FILE] [--thresholds FILE] [--json]

Compares CURRENT with REFERENCE column by column (CSV or JSON Lines, gzip read directly) with exact
statistics and Evidently's default methods: numeric columns KS (p < 0.05) when the reference has at
most 1,000 rows, else Wasserstein distance normalised by the reference's std (>= 0.1); categorical
columns (and numeric ones with at most 5 values) chi-squared (p < 0.05), else Jensen-Shannon distance
(>= 0.1); PSI for every column (0.1 minor, 0.25 major). The dataset drifts when at least half of
the compared columns drift. Without --contract the column types are inferred from REFERENCE; key and
PII columns are not compared. --thresholds FILE: a JSON object of overrides (pValue, wasserstein,
jensenShannon, datasetShare, testRowsLimit, categoricalDistinct, psi, features.{name}.method|threshold|ignore).
--json prints {"datasetDrift","share","features":[{"name","method","score","threshold","drift","psi"}],...}.
Exit codes: 0 compared (drift or not), 1 usage or I/O error.
`;

async function readThresholds(file: string | undefined, io: CliIo): Promise<DriftThresholds> {
  let overrides: DriftThresholdOverrides | undefined;
  if (file !== undefined) {
    try {
      overrides = JSON.parse((await readInputFile(file, io, 'thresholds')).toString('utf8')) as DriftThresholdOverrides;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`thresholds '${file}' is not JSON: ${(e as Error).message}`);
    }
    if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) throw new UsageError(`thresholds '${file}' must be a JSON object`);
  }
  const resolved = resolveDriftThresholds([{ name: file ?? 'defaults', overrides }]);
  if (!resolved.ok) throw new UsageError(resolved.error[0]);
  return resolved.value;
}

async function contractFor(reference: string, contractFile: string | undefined, io: CliIo): Promise<{ contract: DataContract; source: string }> {
  if (contractFile !== undefined) return { contract: await readContractFile(contractFile, io), source: `from ${contractFile}` };
  const inferred = await inferForCommand(reference, {}, io);
  if (!inferred.ok) throw new UsageError(`cannot read '${reference}' as data: ${inferred.error}`);
  return { contract: inferred.value.contract, source: `inferred from ${reference}` };
}

function formatScore(f: FeatureDrift): string {
  if (f.score === null) return `n/a (${f.note ?? 'no values'})`;
  const test = f.method === 'ks' || f.method === 'chisquare';
  return `${test ? 'p' : 'distance'} ${f.score.toPrecision(4)} ${test ? '<' : '>='} ${f.threshold}? ${f.drift ? 'yes' : 'no'}`;
}

function textReport(result: DatasetDrift, ref: DriftColumns, cur: DriftColumns, contract: string): string {
  const width = Math.max(7, ...result.features.map((f) => f.name.length));
  const lines = [
    `${result.datasetDrift ? 'DRIFT' : 'no drift'}: ${result.drifted} of ${result.evaluated} columns drifted (share ${result.share.toFixed(3)}); contract ${contract}`,
    `rows: reference ${ref.rows}, current ${cur.rows}`,
    `${'column'.padEnd(width)}  method         drift  psi      score`,
    ...result.features.map((f) => `${f.name.padEnd(width)}  ${f.method.padEnd(13)}  ${(f.drift ? 'yes' : 'no').padEnd(5)}  ${(f.psi === null ? 'n/a' : f.psi.toFixed(4)).padEnd(7)}  ${formatScore(f)}`),
    ...ref.ignored.map((c) => `not compared: ${c.name} (${c.why})`),
  ];
  for (const [side, cols] of [['reference', ref], ['current', cur]] as const) {
    if (cols.unreadableRows > 0) lines.push(`${side}: ${cols.unreadableRows} row(s) with the wrong field count left out`);
    for (const [name, n] of Object.entries(cols.untypedCells)) lines.push(`${side}: ${n} value(s) of '${name}' are not of its type and read as missing`);
  }
  return lines.join('\n') + '\n';
}

/** `dps drift`: the per-column drift verdicts of one file against another. */
export const driftCommand: CliCommand = {
  path: ['drift'],
  summary: 'compare a current data file with a reference: per-column drift verdicts and PSI',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['reference', 'current', 'contract', 'thresholds'], ['json']);
    const referenceFile = requireOption(args, 'reference');
    const currentFile = requireOption(args, 'current');
    const thresholds = await readThresholds(args.options.get('thresholds'), io);
    const { contract, source } = await contractFor(referenceFile, args.options.get('contract'), io);
    const reference = await readDriftColumns(referenceFile, contract, io);
    const current = await readDriftColumns(currentFile, contract, io);
    if (reference.rows === 0) throw new UsageError(`reference '${referenceFile}' has no data rows`);
    const result = compareDatasets(referenceFile, reference.columns, current.columns, thresholds);
    if (args.flags.has('json')) {
      const features = result.features.map(({ name, method, score, threshold, drift, psi, psiLevel, kind, statistic, rows, missing, note }) => ({ name, method, score, threshold, drift, psi, psiLevel, kind, statistic, rows, missing, note }));
      io.stdout(JSON.stringify({
        datasetDrift: result.datasetDrift, share: result.share, drifted: result.drifted, evaluated: result.evaluated, features,
        reference: referenceFile, current: currentFile, contract: source, rows: { reference: reference.rows, current: current.rows },
        ignored: reference.ignored, unreadableRows: { reference: reference.unreadableRows, current: current.unreadableRows },
        untypedCells: { reference: reference.untypedCells, current: current.untypedCells },
      }, null, 2) + '\n');
    } else {
      io.stdout(textReport(result, reference, current, source));
    }
    return 0;
  },
};
