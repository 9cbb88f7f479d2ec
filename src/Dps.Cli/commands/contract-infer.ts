import { parseArgs, requireOption } from '../args';
import { CliCommand } from '../command';
import { INFERENCE_SAMPLE_ROWS } from '../../Dps.Domain/data/contract-from-chunks';
import { inferOrReject } from './inferred-contract';

const usage = `Usage: dps contract infer --data FILE [--columns a,b,...] [--label COL] [--dataset NAME]

Prints a data contract (JSON) inferred from ${INFERENCE_SAMPLE_ROWS} rows sampled across all of FILE (CSV with any of
, ; tab | as delimiter, or JSON Lines; gzip is read directly; or Parquet, typed by its schema): header, types, missing-value tokens,
categories, observed ranges (as warnings), key candidates, PII (emails) and, with --label, the label
and its positive class. --columns names the columns of a CSV that has no header line.
Review notes go to stderr. Exit codes: 0 printed, 2 no contract can be inferred (empty file,
unreadable or duplicate header), 1 usage or I/O error.
`;

/** `dps contract infer`: a starting contract to review and commit. */
export const contractInferCommand: CliCommand = {
  path: ['contract', 'infer'],
  summary: 'infer a data contract from a CSV, JSON Lines or Parquet file',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['data', 'columns', 'label', 'dataset']);
    const file = requireOption(args, 'data');
    const columns = args.options.get('columns')?.split(',').map((c) => c.trim());
    const inferred = await inferOrReject('contract infer', file, { columns, label: args.options.get('label'), dataset: args.options.get('dataset') }, io);
    if (!inferred) return 2;
    io.stdout(JSON.stringify(inferred.contract, null, 2) + '\n');
    for (const note of inferred.notes) io.stderr(`note: ${note}\n`);
    return 0;
  },
};
