import type { Result } from '../result';
import { createRandom } from '../ml/seeded-random';
import { InferredContract, inferContract } from './contract-inference';
import { createCsvParser } from './csv-parser';
import { detectFormat } from './format-detection';
import { createJsonLinesParser } from './jsonl-parser';
import type { RawRecord, RecordParser } from './raw-record';

/** Records inference looks at: enough for types and domains, bounded so a 1 GB input costs the same memory. */
export const INFERENCE_SAMPLE_ROWS = 10_000;

/**
 * Infers a contract from a byte stream (CSV with any delimiter, header or not, or JSON Lines), reading
 * all of it: the first record (a CSV header, perhaps) plus a uniform sample of the others (reservoir,
 * seeded, so the same input gives the same contract). A file in time order is so typed by values from
 * its whole length, not its beginning. The caller owns the stream and any decompression.
 */
export async function inferContractFromChunks(
  chunks: AsyncIterable<Uint8Array>,
  options: { dataset: string; columns?: string[]; label?: string; sampleRows?: number; seed?: number },
): Promise<Result<InferredContract, string>> {
  const capacity = options.sampleRows ?? INFERENCE_SAMPLE_ROWS;
  const random = createRandom(options.seed ?? 1);
  let first: RawRecord | undefined;
  const sample: RawRecord[] = [];
  let others = 0;
  const offer = (record: RawRecord) => {
    if (!first) return void (first = record);
    const slot = others < capacity ? others : random.nextInt(others + 1);
    others++;
    if (slot < capacity) sample[slot] = record;
  };
  let parser: RecordParser | undefined;
  let csv: ReturnType<typeof createCsvParser> | undefined;
  for await (const chunk of chunks) {
    if (!parser) {
      // Header detection needs the first line as data, so CSV is parsed without a header here.
      parser = detectFormat(chunk) === 'jsonl' ? createJsonLinesParser() : (csv = createCsvParser({ delimiter: 'auto', header: false }));
    }
    for (const record of parser.push(chunk)) offer(record);
  }
  if (parser) for (const record of parser.end()) offer(record);
  // File order, so notes name rows as they come and the first record stays first.
  const records = first ? [first, ...sample.sort((a, b) => a.line - b.line)] : [];
  return inferContract({ records, delimiter: csv?.delimiter, recordsRead: others + (first ? 1 : 0) }, options);
}
