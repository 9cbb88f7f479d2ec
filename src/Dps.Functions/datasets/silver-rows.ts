import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { BlobRef } from '../storage/blob-io';
import { blobParquetSource, readParquetRowGroups } from '../storage/parquet-reader';

type Row = Record<string, TypedValue>;

/**
 * Streams a silver Parquet blob row by row: range reads fetch the footer, then one row group at a time,
 * so memory is one row group. Values come back as validation typed them (dates and timestamps as ISO text).
 */
export async function forEachSilverRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
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

/** Reads a silver blob into row objects (training holds its data in memory anyway). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Row[]> {
  const rows: Row[] = [];
  await forEachSilverRow(blobs, ref, (row) => rows.push(row));
  return rows;
}
