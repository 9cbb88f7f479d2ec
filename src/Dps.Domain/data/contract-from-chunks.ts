import type { Result } from '../result';
import { InferredContract, inferContract } from './contract-inference';
import { createCsvParser } from './csv-parser';
import { detectFormat } from './format-detection';
import { createJsonLinesParser } from './jsonl-parser';
import type { RawRecord, RecordParser } from './raw-record';

/** Records inference looks at: enough for types and domains, bounded so a 1 GB input costs the same. */
export const INFERENCE_SAMPLE_ROWS = 10_000;

/**
 * Infers a contract from the first records of a byte stream (CSV with any delimiter, header or not, or
 * JSON Lines). Reads only until the sample is full; the caller owns the stream and any decompression.
 */
export async function inferContractFromChunks(
  chunks: AsyncIterable<Uint8Array>,
  options: { dataset: string; columns?: string[]; label?: string },
): Promise<Result<InferredContract, string>> {
  const records: RawRecord[] = [];
  let parser: RecordParser | undefined;
  let csv: ReturnType<typeof createCsvParser> | undefined;
  for await (const chunk of chunks) {
    if (!parser) {
      // Header detection needs the first line as data, so CSV is parsed without a header here.
      parser = detectFormat(chunk) === 'jsonl' ? createJsonLinesParser() : (csv = createCsvParser({ delimiter: 'auto', header: false }));
    }
    for (const record of parser.push(chunk)) records.push(record);
    if (records.length > INFERENCE_SAMPLE_ROWS) break;
  }
  if (parser && records.length <= INFERENCE_SAMPLE_ROWS) for (const record of parser.end()) records.push(record);
  return inferContract({ records: records.slice(0, INFERENCE_SAMPLE_ROWS + 1), delimiter: csv?.delimiter }, options);
}
