import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { JsonRecord } from '../../Dps.Domain/data/raw-record';
import { DEFAULT_MAX_ROW_BYTES } from '../../Dps.Domain/data/row-bytes';
import { BlobRef, readBlobChunks } from '../storage/blob-io';

type Row = Record<string, TypedValue>;

/**
 * Streams a silver JSON Lines blob row by row: memory is one row, and time is linear in the blob even
 * when a row spans many chunks (the parser keeps a row's pieces and joins them once).
 */
export async function forEachSilverRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
  // A silver row is a validated input row (at most DEFAULT_MAX_ROW_BYTES) written as JSON, which escaping can grow.
  const parser = createJsonLinesParser({ maxRowBytes: 4 * DEFAULT_MAX_ROW_BYTES });
  let count = 0;
  const take = (records: JsonRecord[]) => {
    for (const record of records) {
      // Silver is written by the pipeline: a row it cannot read back is corruption, not bad input.
      if (record.issue) throw new Error(`${ref.container}/${ref.name} line ${record.line}: ${record.issue.message}`);
      visit(record.value as Row);
      count++;
    }
  };
  for await (const chunk of readBlobChunks(blobs, ref)) take(parser.push(chunk));
  take(parser.end());
  return count;
}

/** Reads a silver JSON Lines blob into row objects (training holds its data in memory anyway). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Row[]> {
  const rows: Row[] = [];
  await forEachSilverRow(blobs, ref, (row) => rows.push(row));
  return rows;
}
