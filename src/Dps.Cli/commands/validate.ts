import path from 'node:path';
import { startBatchValidation } from '../../Dps.Domain/data/batch-validator';
import { describeFinding, ValidationReport } from '../../Dps.Domain/data/validation-report';
import type { DataContract, DataFormat } from '../../Dps.Domain/data/contract-types';
import { detectFormat } from '../../Dps.Domain/data/format-detection';
import { datasetNameOf } from '../io/contract-from-file';
import { readFileChunks } from '../io/record-file-reader';
import { openParquetFile } from '../io/parquet-file';
import { parquetOutputs } from '../../Dps.Functions/ingest/batch-input';
import { parseArgs, requireOption } from '../args';
import { readContractFile } from '../input-file';
import { CliCommand, CliIo, UsageError } from '../command';
import { inferForCommand } from './inferred-contract';

const usage = `Usage: dps validate --data FILE [--contract FILE] [--json] [--dataset NAME]

Validates FILE (CSV or JSON Lines, gzip read directly, or Parquet: its schema is checked against the
contract before any row, then its rows one row group at a time) against a data contract; without
--contract the contract is inferred from the file first. Rows that break row rules are quarantined,
repeats are counted as duplicates; rows read = accepted + quarantined + duplicates.
Quarantined rows alone do not reject the file: it is rejected by dataset rules (missing or duplicate
columns, row-count bounds, null rates, key uniqueness) or when the quarantined share exceeds the
contract's maxQuarantineRate. --json prints the report as one JSON object (exit 0 and 2).
Exit codes: 0 valid, 2 rejected (the reason on stderr), 1 unreadable input or usage error.
`;

// validate writes no rows, so PII hashes never leave the process and the salt does not matter.
const CLI_SALT = 'dps-validate';


/**
 * The contract used when none can be inferred: no columns, only the format, so the same engine reads
 * the file and reports the rows and the reason (empty input, unreadable or duplicate header).
 */
async function readOnlyContract(file: string, io: CliIo, dataset: string, parquet: boolean): Promise<DataContract> {
  let format: DataFormat = { type: 'csv', delimiter: 'auto', header: true, quote: '"', encoding: 'utf-8' };
  if (parquet) format = { type: 'jsonl', encoding: 'utf-8' };
  else for await (const chunk of readFileChunks(path.resolve(io.cwd, file), file)) {
    if (detectFormat(chunk) === 'jsonl') format = { type: 'jsonl', encoding: 'utf-8' };
    break;
  }
  return { contractVersion: 1, dataset, format, missingValues: [''], columns: [], maxQuarantineRate: 0.05 };
}


function summary(report: ValidationReport, contractSource: string): string {
  const { read, accepted, quarantined, duplicates } = report.rows;
  const lines = [
    `${report.source}: ${report.status} (contract ${contractSource})`,
    `rows: ${read} read, ${accepted} accepted, ${quarantined} quarantined, ${duplicates} duplicates`,
    ...report.errors.map((f) => `error: ${describeFinding(f)}`),
    ...report.warnings.map((f) => `warning: ${f.message}`),
    ...report.quarantine.byRule.map((f) => `quarantined: ${f.message}`),
  ];
  return lines.join('\n') + '\n';
}

/** `dps validate`: the validation stage of the pipeline, run on a local file. */
export const validateCommand: CliCommand = {
  path: ['validate'],
  summary: 'validate a data file against a contract (or an inferred one)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['data', 'contract', 'dataset'], ['json']);
    const file = requireOption(args, 'data');
    const contractFile = args.options.get('contract');
    const parquet = await openParquetFile(path.resolve(io.cwd, file), file);
    let contract: DataContract;
    let contractSource = `from ${contractFile}`;
    if (contractFile !== undefined) {
      contract = await readContractFile(contractFile, io);
    } else {
      const dataset = args.options.get('dataset') ?? datasetNameOf(file);
      const inferred = await inferForCommand(file, { dataset }, io);
      contractSource = inferred.ok ? 'inferred from the file' : `none: it cannot be inferred (${inferred.error})`;
      contract = inferred.ok ? inferred.value.contract : await readOnlyContract(file, io, dataset, parquet !== undefined);
    }
    const started = startBatchValidation({ contract, piiSalt: CLI_SALT, source: file });
    if (!started.ok) throw new UsageError(started.error);
    const validation = started.value;
    if (!parquet) for await (const chunk of readFileChunks(path.resolve(io.cwd, file), file)) validation.push(chunk);
    // Only the report is kept: the rows each row group yields are dropped.
    else for await (const output of parquetOutputs(validation, parquet)) void output;
    const { report } = validation.end();
    if (args.flags.has('json')) {
      const { status, rows, errors, warnings, quarantine, duplicates } = report;
      io.stdout(JSON.stringify({ file, contract: contractSource, status, rows, errors, warnings, quarantine, duplicates }, null, 2) + '\n');
    } else {
      io.stdout(summary(report, contractSource));
    }
    if (report.status === 'accepted') return 0;
    io.stderr(`dps validate: rejected: ${describeFinding(report.errors[0])}\n`);
    return 2;
  },
};
