import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { BlobServiceClient } from '@azure/storage-blob';
import { BlobRef, putIfAbsent } from '../storage/blob-io';
import type { DpsSettings } from '../settings';
import { bronzeBlob } from '../storage/blob-layout';
import { isNotFound, isWriteConflict } from '../storage/storage-errors';

/** Block size and parallel blocks when copying a landed file into bronze: memory is about their product. */
const COPY_BLOCK_BYTES = 4 * 1024 * 1024;
const COPY_CONCURRENCY = 2;

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

/**
 * Lands a blob (a file in the landing container) in bronze without holding it in memory: one streamed
 * pass hashes it, a second streams it into `{dataset}/{sha256}` in 4 MiB blocks (skipped when that
 * content is already there). Both passes read the same version (ETag), so a file rewritten in between
 * fails the landing rather than storing bytes under another content's hash.
 */
export async function landBlobInBronze(blobs: BlobServiceClient, containers: DpsSettings['containers'], dataset: string, landed: BlobRef, source: string): Promise<BronzeBatch> {
  const client = blobs.getContainerClient(landed.container).getBlobClient(landed.name);
  const first = await client.download();
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of first.readableStreamBody as Readable) {
    hash.update(chunk as Buffer);
    sizeBytes += (chunk as Buffer).length;
  }
  const sha256 = hash.digest('hex');
  const bronze = bronzeBlob(containers, dataset, sha256);
  const container = blobs.getContainerClient(bronze.container);
  await container.createIfNotExists();
  const target = container.getBlockBlobClient(bronze.name);
  if (!(await target.exists())) {
    const second = await client.download(0, undefined, { conditions: { ifMatch: first.etag } });
    try {
      await target.uploadStream(second.readableStreamBody as Readable, COPY_BLOCK_BYTES, COPY_CONCURRENCY, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/octet-stream' },
      });
    } catch (error) {
      // Another landing of the same content won the race: bronze holds these bytes already.
      if (!isWriteConflict(error)) throw error;
    }
  }
  return { dataset, bronze, sha256, sizeBytes, source };
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
