import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobRef, putIfAbsent } from '../storage/blob-io';
import type { DpsSettings } from '../settings';
import { bronzeBlob } from '../storage/blob-layout';
import { isNotFound } from '../storage/storage-errors';

/** A landed batch in bronze: raw bytes addressed by their sha256, never modified. */
export interface BronzeBatch {
  dataset: string;
  bronze: BlobRef;
  sha256: string;
  sizeBytes: number;
  /** Where the bytes came from (landing blob path or `http`). */
  source: string;
}

/** Stores raw bytes in bronze under `{dataset}/{sha256}` (idempotent: identical content lands once). */
export async function landInBronze(blobs: BlobServiceClient, containers: DpsSettings['containers'], dataset: string, bytes: Buffer, source: string): Promise<BronzeBatch> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const bronze = bronzeBlob(containers, dataset, sha256);
  await putIfAbsent(blobs, bronze, bytes, 'application/octet-stream');
  return { dataset, bronze, sha256, sizeBytes: bytes.length, source };
}

/** A batch already in bronze, by its sha256; undefined when it was never landed. */
export async function findBronze(blobs: BlobServiceClient, containers: DpsSettings['containers'], dataset: string, sha256: string): Promise<BronzeBatch | undefined> {
  const bronze = bronzeBlob(containers, dataset, sha256);
  try {
    const props = await blobs.getContainerClient(bronze.container).getBlobClient(bronze.name).getProperties();
    return { dataset, bronze, sha256, sizeBytes: props.contentLength ?? 0, source: `bronze:${dataset}/${sha256.slice(0, 12)}` };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
