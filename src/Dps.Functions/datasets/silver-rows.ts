import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { JsonRecord } from '../../Dps.Domain/data/raw-record';
import { DEFAULT_MAX_ROW_BYTES } from '../../Dps.Domain/data/row-bytes';
import { BlobRef, readBlobChunks } from '../storage/blob-io';
import { blobParquetSource, readParquetRowGroups } from '../storage/parquet-reader';

type Row = Record<string, TypedValue>;

/**
 * Streams a silver blob row by row. Silver is Parquet: range reads fetch the footer, then one row group
 * at a time, so memory is one row group; values come back as validation typed them (dates and timestamps
 * as ISO text). Silver written before Parquet (`*.jsonl`, still named by the catalogs of existing state)
 * is read as JSON Lines, so an upgraded app keeps training on it.
 */
export async function forEachSilverRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
  if (ref.name.endsWith('.jsonl')) return forEachJsonLinesRow(blobs, ref, visit);
  const shownAs = `${ref.container}/${ref.name}`;
  const source = await blobParquetSource(blobs, ref);
  // Silver is written by the pipeline: a blob that is not Parquet is corruption, not bad input.
  if (!source) throw new Error(`${shownAs} is not a Parquet file`);
  let count = 0;
  for await (const rows of readParquetRowGroups(source, { shownAs })) {
    for (const row of rows) visit(row as Row);
    count += rows.length;
  }
  return count;
}

/** Streams a JSON Lines silver blob of an earlier release: memory is one row, time linear in the blob. */
async function forEachJsonLinesRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
  // A silver row is a validated input row (at most DEFAULT_MAX_ROW_BYTES) written as JSON, which escaping can grow.
  const parser = createJsonLinesParser({ maxRowBytes: 4 * DEFAULT_MAX_ROW_BYTES });
  let count = 0;
  const take = (records: JsonRecord[]) => {
    for (const record of records) {
      if (record.issue) throw new Error(`${ref.container}/${ref.name} line ${record.line}: ${record.issue.message}`);
      visit(record.value as Row);
      count++;
    }
  };
  for await (const chunk of readBlobChunks(blobs, ref)) take(parser.push(chunk));
  take(parser.end());
  return count;
}

/** Reads a silver blob into row objects (training holds its data in memory anyway). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Row[]> {
  const rows: Row[] = [];
  await forEachSilverRow(blobs, ref, (row) => rows.push(row));
  return rows;
}
