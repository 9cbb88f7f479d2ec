import path from 'node:path';
import { Result } from '../../Dps.Domain/result';
import { InferredContract, inferContract } from '../../Dps.Domain/data/contract-inference';
import { createCsvParser } from '../../Dps.Domain/data/csv-parser';
import { detectFormat } from '../../Dps.Domain/data/format-detection';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { RawRecord, RecordParser } from '../../Dps.Domain/data/raw-record';
import { readFileChunks } from './record-file-reader';

/** Records inference looks at: enough for types and domains, bounded so a 1 GB file costs the same. */
export const INFERENCE_SAMPLE_ROWS = 10_000;

/** A dataset name from a file name: `data/adult.train.csv.gz` -> `adult.train`. */
export function datasetNameOf(file: string): string {
  const base = path.basename(file).replace(/(\.gz)?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json)$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'dataset';
}

/** Infers a contract from the first records of a file (CSV with any delimiter and header or not, or JSON Lines). */
export async function inferContractFromFile(
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  shownAs = file,
): Promise<Result<InferredContract, string>> {
  const records: RawRecord[] = [];
  let parser: RecordParser | undefined;
  let csv: ReturnType<typeof createCsvParser> | undefined;
  for await (const chunk of readFileChunks(file, shownAs)) {
    if (!parser) {
      // Header detection needs the first line as data, so CSV is parsed without a header here.
      parser = detectFormat(chunk) === 'jsonl' ? createJsonLinesParser() : (csv = createCsvParser({ delimiter: 'auto', header: false }));
    }
    for (const record of parser.push(chunk)) records.push(record);
    if (records.length > INFERENCE_SAMPLE_ROWS) break;
  }
  if (parser && records.length <= INFERENCE_SAMPLE_ROWS) for (const record of parser.end()) records.push(record);
  return inferContract(
    { records: records.slice(0, INFERENCE_SAMPLE_ROWS + 1), delimiter: csv?.delimiter },
    { dataset: options.dataset ?? datasetNameOf(file), columns: options.columns, label: options.label },
  );
}
