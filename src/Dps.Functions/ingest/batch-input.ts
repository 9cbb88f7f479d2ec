import type { BlobServiceClient } from '@azure/storage-blob';
import type { BatchValidation } from '../../Dps.Domain/data/batch-validator';
import { inferContractFromChunks } from '../../Dps.Domain/data/contract-from-chunks';
import type { InferredContract } from '../../Dps.Domain/data/contract-inference';
import { inferContractFromParquet } from '../../Dps.Domain/data/parquet-inference';
import type { BatchOutput } from '../../Dps.Domain/data/validation-report';
import type { Result } from '../../Dps.Domain/result';
import { BlobRef, readBlobChunks } from '../storage/blob-io';
import { ParquetFile, ParquetFileError, blobParquetSource, readParquetFile, readParquetRowGroups } from '../storage/parquet-reader';

/** A landed batch as validation reads it: a Parquet file whose footer was read, or a byte stream (CSV, JSON Lines; gunzipped). */
export type BatchInput = ParquetFile | AsyncIterable<Uint8Array>;

/** True for a Parquet batch. */
export function isParquetInput(input: unknown): input is ParquetFile {
  return typeof input === 'object' && input !== null && 'metadata' in input && 'rowGroupBytes' in input;
}

/**
 * Opens a batch blob: Parquet when its bytes say so (`PAR1` at both ends; then only its footer is read
 * here, and each row group later), otherwise its byte stream. Errors name the batch as `shownAs`.
 */
export async function openBatch(blobs: BlobServiceClient, ref: BlobRef, shownAs: string): Promise<BatchInput> {
  const parquet = await blobParquetSource(blobs, ref);
  return parquet ? readParquetFile(parquet, shownAs) : readBlobChunks(blobs, ref);
}

/**
 * What the validator makes of a Parquet batch: its schema checked first (no row is read when that
 * rejects it), then one output per slice of rows the reader hands out, until the batch passes a limit.
 * A slice counts its share of the file's uncompressed bytes against the byte limit.
 */
export async function* parquetOutputs(validation: BatchValidation, parquet: ParquetFile): AsyncGenerator<BatchOutput> {
  if (!validation.pushParquetSchema(parquet.columns)) return;
  const bytesPerRow = parquet.rows > 0 ? parquet.rowGroupBytes.reduce((sum, bytes) => sum + bytes, 0) / parquet.rows : 0;
  let read = 0;
  for await (const rows of readParquetRowGroups(parquet)) {
    // Rounded on the running total, so the slices add up to the file's bytes exactly.
    const bytes = Math.round((read + rows.length) * bytesPerRow) - Math.round(read * bytesPerRow);
    read += rows.length;
    yield validation.pushRows(rows, bytes);
    if (validation.overLimit) return;
  }
}

/** Infers a contract from a batch blob, Parquet or text; a Parquet file that cannot be read is an error value naming it. */
export async function inferBatchContract(blobs: BlobServiceClient, ref: BlobRef, shownAs: string, options: { dataset: string; label?: string }): Promise<Result<InferredContract, string>> {
  try {
    const input = await openBatch(blobs, ref, shownAs);
    if (!isParquetInput(input)) return await inferContractFromChunks(input, options);
    return await inferContractFromParquet(input.columns, readParquetRowGroups(input), options);
  } catch (e) {
    if (e instanceof ParquetFileError) return { ok: false, error: e.message };
    throw e;
  }
}
