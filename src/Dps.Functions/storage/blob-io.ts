import type { BlobServiceClient } from '@azure/storage-blob';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { detectCompression } from '../../Dps.Domain/data/compression';
import { isNotFound, isWriteConflict } from './storage-errors';

/** Block size for streamed uploads: big enough for throughput, small enough to keep memory flat. */
const BLOCK_BYTES = 4 * 1024 * 1024;

/** A blob's address, as orchestrations pass it around. */
export interface BlobRef {
  container: string;
  name: string;
}

/** Writes a blob only if it does not exist yet; returns false when it was already there (content-addressed data). */
export async function putIfAbsent(blobs: BlobServiceClient, ref: BlobRef, data: Buffer | string, contentType?: string): Promise<boolean> {
  const container = blobs.getContainerClient(ref.container);
  await container.createIfNotExists();
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    await container.getBlockBlobClient(ref.name).uploadData(body, {
      conditions: { ifNoneMatch: '*' },
      blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined,
    });
    return true;
  } catch (error) {
    if (isWriteConflict(error)) return false;
    throw error;
  }
}

/** Writes (overwrites) a small blob. */
export async function putBlob(blobs: BlobServiceClient, ref: BlobRef, data: Buffer | string, contentType?: string): Promise<void> {
  const container = blobs.getContainerClient(ref.container);
  await container.createIfNotExists();
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  await container.getBlockBlobClient(ref.name).uploadData(body, { blobHTTPHeaders: contentType ? { blobContentType: contentType } : undefined });
}

/** Reads a small blob whole; undefined when it does not exist. */
export async function getBlob(blobs: BlobServiceClient, ref: BlobRef): Promise<Buffer | undefined> {
  try {
    return await blobs.getContainerClient(ref.container).getBlobClient(ref.name).downloadToBuffer();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Streams a blob's bytes in chunks, gunzipped when its first bytes say gzip, so parsers see plain bytes. */
export async function* readBlobChunks(blobs: BlobServiceClient, ref: BlobRef): AsyncGenerator<Uint8Array> {
  const download = await blobs.getContainerClient(ref.container).getBlobClient(ref.name).download();
  const body = download.readableStreamBody as Readable | undefined;
  if (!body) return;
  const raw = body[Symbol.asyncIterator]();
  const first = await raw.next();
  if (first.done) return;
  const head = first.value as Buffer;
  const rest = (async function* () {
    yield head;
    for (let next = await raw.next(); !next.done; next = await raw.next()) yield next.value as Buffer;
  })();
  if (detectCompression(head) === 'gzip') {
    yield* Readable.from(rest).pipe(createGunzip());
  } else {
    yield* rest;
  }
}

/**
 * Writes a blob from lines as they are produced, staging 4 MiB blocks and committing them at the end,
 * so a silver or quarantine file of any size costs one block of memory.
 */
export class BlobLineWriter {
  private readonly blockIds: string[] = [];
  private buffer: string[] = [];
  private bytes = 0;
  private lines = 0;

  private constructor(private readonly client: ReturnType<ReturnType<BlobServiceClient['getContainerClient']>['getBlockBlobClient']>) {}

  /** Opens a writer for a blob (its container is created if needed). */
  static async open(blobs: BlobServiceClient, ref: BlobRef): Promise<BlobLineWriter> {
    const container = blobs.getContainerClient(ref.container);
    await container.createIfNotExists();
    return new BlobLineWriter(container.getBlockBlobClient(ref.name));
  }

  /** Adds one line (without its newline). */
  async write(line: string): Promise<void> {
    this.buffer.push(line);
    this.bytes += Buffer.byteLength(line) + 1;
    this.lines++;
    if (this.bytes >= BLOCK_BYTES) await this.stage();
  }

  /** Commits everything written; returns the number of lines. */
  async close(contentType = 'application/x-ndjson'): Promise<number> {
    if (this.lines === 0) {
      // A block cannot be empty: an empty result is an empty blob.
      await this.client.uploadData(Buffer.alloc(0), { blobHTTPHeaders: { blobContentType: contentType } });
      return 0;
    }
    if (this.buffer.length > 0) await this.stage();
    await this.client.commitBlockList(this.blockIds, { blobHTTPHeaders: { blobContentType: contentType } });
    return this.lines;
  }

  private async stage(): Promise<void> {
    const id = Buffer.from(String(this.blockIds.length).padStart(8, '0')).toString('base64');
    const body = this.buffer.length > 0 ? this.buffer.join('\n') + '\n' : '';
    await this.client.stageBlock(id, Buffer.from(body, 'utf8'), Buffer.byteLength(body));
    this.blockIds.push(id);
    this.buffer = [];
    this.bytes = 0;
  }
}
