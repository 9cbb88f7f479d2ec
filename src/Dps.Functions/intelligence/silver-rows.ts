import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { BlobRef, readBlobChunks } from '../adapters/blob-io';

/** Reads a silver JSON Lines blob into row objects (training holds its data in memory anyway). */
export async function readSilverRows(blobs: BlobServiceClient, ref: BlobRef): Promise<Record<string, TypedValue>[]> {
  const rows: Record<string, TypedValue>[] = [];
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of readBlobChunks(blobs, ref)) {
    const text = rest + decoder.decode(chunk, { stream: true });
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) if (line) rows.push(JSON.parse(line) as Record<string, TypedValue>);
  }
  rest += decoder.decode();
  if (rest.trim()) rows.push(JSON.parse(rest) as Record<string, TypedValue>);
  return rows;
}
