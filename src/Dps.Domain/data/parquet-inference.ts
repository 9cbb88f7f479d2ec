import { Result, err } from '../result';
import { createRandom } from '../ml/seeded-random';
import { INFERENCE_SAMPLE_ROWS } from './contract-from-chunks';
import { InferredContract, InferenceOptions, inferContract } from './contract-inference';
import type { ColumnType } from './contract-types';
import { parquetRecords } from './parquet-record';
import type { ParquetColumn } from './parquet-schema';
import type { JsonRecord } from './raw-record';

/**
 * Infers a contract from a Parquet file: column types from its schema, nullability, missing tokens,
 * domains, ranges, keys, PII and label from a uniform sample of its rows (seeded reservoir over every
 * row group, so the same file gives the same contract). Columns no contract type can hold (nested, time
 * of day) are left out with a note; validation then drops them as extra columns.
 */
export async function inferContractFromParquet(
  columns: ParquetColumn[],
  rowGroups: AsyncIterable<Array<Record<string, unknown>>>,
  options: InferenceOptions & { sampleRows?: number; seed?: number },
): Promise<Result<InferredContract, string>> {
  const readable = columns.filter((c) => c.type !== undefined);
  if (readable.length === 0) return err(`header: none of the Parquet file's ${columns.length} column(s) holds values a contract can type`);
  const capacity = options.sampleRows ?? INFERENCE_SAMPLE_ROWS;
  const random = createRandom(options.seed ?? 1);
  const sample: JsonRecord[] = [];
  let read = 0;
  for await (const rows of rowGroups) {
    for (const record of parquetRecords(rows, read + 1)) {
      const slot = read < capacity ? read : random.nextInt(read + 1);
      read++;
      if (slot < capacity) sample[slot] = record;
    }
  }
  if (read === 0) return err('row-count: the Parquet file has no rows to infer a contract from');
  // Only the typed columns, in schema order; every sampled record names them all (null for a null).
  const keep = readable.map((c) => c.name);
  const records = sample
    .sort((a, b) => a.row - b.row)
    .map((r): JsonRecord => ({ kind: 'json', row: r.row, line: r.row, text: '', value: Object.fromEntries(keep.map((name) => [name, r.value?.[name] ?? null])) }));
  const declaredTypes: Record<string, ColumnType> = Object.fromEntries(readable.map((c) => [c.name, c.type as ColumnType]));
  const inferred = inferContract({ records, recordsRead: read, declaredTypes }, options);
  if (!inferred.ok) return inferred;
  const left = columns.filter((c) => c.type === undefined);
  inferred.value.notes.push(
    'read from a Parquet file: column types come from its schema; Parquet batches are recognised from their bytes whatever the contract format says (jsonl here: rows are matched to columns by name)',
    ...(left.length > 0 ? [`column(s) ${left.map((c) => `'${c.name}' (${c.logicalType ?? c.physicalType})`).join(', ')} hold values no contract type can (nested or time of day) and are left out`] : []),
  );
  return inferred;
}
