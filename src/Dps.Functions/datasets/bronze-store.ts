import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobRef, putIfAbsent } from '../storage/blob-io';
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

/** Dataset names become blob path segments and table keys, so they are kept simple. */
export function checkDatasetName(dataset: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(dataset)) {
    return `dataset name '${dataset}' must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit`;
  }
  return undefined;
}

/** The deterministic pipeline instance id for a batch: the same content twice is the same run. */
export function pipelineInstanceId(dataset: string, sha256: string): string {
  return `pipeline-${dataset}-${sha256.slice(0, 12)}`;
}

/** Stores raw bytes in bronze under `{dataset}/{sha256}` (idempotent: identical content lands once). */
export async function landInBronze(blobs: BlobServiceClient, container: string, dataset: string, bytes: Buffer, source: string): Promise<BronzeBatch> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const bronze = { container, name: `${dataset}/${sha256}` };
  await putIfAbsent(blobs, bronze, bytes, 'application/octet-stream');
  return { dataset, bronze, sha256, sizeBytes: bytes.length, source };
}

/** A batch already in bronze, by its sha256; undefined when it was never landed. */
export async function findBronze(blobs: BlobServiceClient, container: string, dataset: string, sha256: string): Promise<BronzeBatch | undefined> {
  const bronze = { container, name: `${dataset}/${sha256}` };
  try {
    const props = await blobs.getContainerClient(container).getBlobClient(bronze.name).getProperties();
    return { dataset, bronze, sha256, sizeBytes: props.contentLength ?? 0, source: `bronze:${dataset}/${sha256.slice(0, 12)}` };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
