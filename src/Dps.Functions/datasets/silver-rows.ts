import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { JsonRecord } from '../../Dps.Domain/data/raw-record';
import { DEFAULT_MAX_ROW_BYTES } from '../../Dps.Domain/data/row-bytes';
import { BlobRef, readBlobChunks } from '../storage/blob-io';
import { blobParquetSource, readParquetRowGroups } from '../storage/parquet-reader';

type Row = Record<string, TypedValue>;

/**
 * Streams a silver blob in slices of rows. Silver is Parquet: range reads fetch the footer, then one row
 * group at a time, so memory is one row group; values come back as validation typed them (dates and
 * timestamps as ISO text). Silver written before Parquet (`*.jsonl`, still named by the catalogs of existing
 * state) is read as JSON Lines, so an upgraded app keeps training on it.
 */
export async function* silverRowSlices(blobs: BlobServiceClient, ref: BlobRef): AsyncGenerator<Row[]> {
  if (ref.name.endsWith('.jsonl')) {
    yield* jsonLinesSlices(blobs, ref);
    return;
  }
  const shownAs = `${ref.container}/${ref.name}`;
  const source = await blobParquetSource(blobs, ref);
  // Silver is written by the pipeline: a blob that is not Parquet is corruption, not bad input.
  if (!source) throw new Error(`${shownAs} is not a Parquet file`);
  for await (const rows of readParquetRowGroups(source, { shownAs })) yield rows as Row[];
}

/** Streams a silver blob row by row (see silverRowSlices); returns the number of rows. */
export async function forEachSilverRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
  let count = 0;
  for await (const rows of silverRowSlices(blobs, ref)) {
    for (const row of rows) visit(row);
    count += rows.length;
  }
  return count;
}

/** Streams a JSON Lines silver blob of an earlier release: memory is one chunk's rows, time linear in the blob. */
async function* jsonLinesSlices(blobs: BlobServiceClient, ref: BlobRef): AsyncGenerator<Row[]> {
  // A silver row is a validated input row (at most DEFAULT_MAX_ROW_BYTES) written as JSON, which escaping can grow.
  const parser = createJsonLinesParser({ maxRowBytes: 4 * DEFAULT_MAX_ROW_BYTES });
  const rowsOf = (records: JsonRecord[]): Row[] =>
    records.map((record) => {
      if (record.issue) throw new Error(`${ref.container}/${ref.name} line ${record.line}: ${record.issue.message}`);
      return record.value as Row;
    });
  for await (const chunk of readBlobChunks(blobs, ref)) yield rowsOf(parser.push(chunk));
  yield rowsOf(parser.end());
}

/** Reads a silver blob into row objects, for sets small enough to hold (a test set, a rollout's sample rows). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Row[]> {
  const rows: Row[] = [];
  await forEachSilverRow(blobs, ref, (row) => rows.push(row));
  return rows;
}
