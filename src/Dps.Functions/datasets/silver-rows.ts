import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { BlobRef, readBlobChunks } from '../storage/blob-io';

type Row = Record<string, TypedValue>;

/** Streams a silver JSON Lines blob row by row (constant memory). */
export async function forEachSilverRow(blobs: BlobServiceClient, ref: BlobRef, visit: (row: Row) => void): Promise<number> {
  const decoder = new TextDecoder();
  let rest = '';
  let count = 0;
  const take = (line: string) => {
    if (!line.trim()) return;
    visit(JSON.parse(line) as Row);
    count++;
  };
  for await (const chunk of readBlobChunks(blobs, ref)) {
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop() ?? '';
    lines.forEach(take);
  }
  take(rest + decoder.decode());
  return count;
}

/** Reads a silver JSON Lines blob into row objects (training holds its data in memory anyway). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Row[]> {
  const rows: Row[] = [];
  await forEachSilverRow(blobs, ref, (row) => rows.push(row));
  return rows;
}
