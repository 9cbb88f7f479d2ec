import type { TableClient } from '@azure/data-tables';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { createHash } from 'node:crypto';
import { matchBlobPath } from '../bindings/binding-expressions';
import type { HostLogger } from '../worker/host-logger';

/** One new or changed blob, with the metadata the trigger exposes; its content is read only on demand. */
export interface BlobDelivery {
  path: string;
  read: () => Promise<Buffer>;
  metadata: Record<string, unknown>;
}

const MAX_TRIES = 5;

/**
 * Scans the container of a blob trigger's path pattern and invokes the function once per blob
 * version (ETag), remembering receipts in a table like the host's blob receipts. A blob that fails
 * five times gets a message on `webjobs-blobtrigger-poison` and is not retried.
 */
export class BlobListener {
  private stopped = false;
  private handle: NodeJS.Timeout | undefined;
  private readonly failures = new Map<string, number>();
  private readonly container: string;

  constructor(
    private readonly functionName: string,
    private readonly pattern: string,
    private readonly blobs: BlobServiceClient,
    private readonly receipts: TableClient,
    private readonly poisonQueue: QueueClient,
    private readonly intervalMs: number,
    private readonly deliver: (delivery: BlobDelivery) => Promise<boolean>,
    private readonly logger: HostLogger,
  ) {
    this.container = pattern.split('/')[0];
  }

  /** Starts scanning in the background. */
  start(): void {
    void this.scan();
  }

  /** Stops scanning. */
  stop(): void {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
  }

  private scanning = false;

  private async scan(): Promise<void> {
    if (this.stopped || this.scanning) return;
    this.scanning = true;
    try {
      const container = this.blobs.getContainerClient(this.container);
      await container.createIfNotExists();
      for await (const item of container.listBlobsFlat({ includeMetadata: true })) {
        if (this.stopped) break;
        const path = `${this.container}/${item.name}`;
        const names = matchBlobPath(this.pattern, path);
        if (!names) continue;
        const receiptKey = createHash('sha256').update(`${this.functionName}|${path}|${item.properties.etag}`).digest('hex');
        if (await this.hasReceipt(receiptKey)) continue;
        const blob = container.getBlobClient(item.name);
        const ok = await this.deliver({
          path,
          read: () => blob.downloadToBuffer(),
          metadata: {
            ...names,
            BlobTrigger: path,
            Uri: blob.url,
            Properties: { ContentLength: item.properties.contentLength, ETag: item.properties.etag, LastModified: item.properties.lastModified?.toISOString() },
            Metadata: item.metadata ?? {},
          },
        });
        const tries = (this.failures.get(receiptKey) ?? 0) + (ok ? 0 : 1);
        if (ok || tries >= MAX_TRIES) {
          await this.receipts.upsertEntity({ partitionKey: this.functionName, rowKey: receiptKey, blob: path, ok });
          this.failures.delete(receiptKey);
          if (!ok) await this.poison(path, item.properties.etag);
        } else this.failures.set(receiptKey, tries);
      }
    } catch (error) {
      this.logger.host(`blob trigger ${this.functionName}: ${(error as Error).message}`);
    } finally {
      this.scanning = false;
      if (!this.stopped) this.handle = setTimeout(() => void this.scan(), this.intervalMs);
    }
  }

  private async hasReceipt(key: string): Promise<boolean> {
    try {
      await this.receipts.getEntity(this.functionName, key);
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  private async poison(path: string, etag: string | undefined): Promise<void> {
    const message = { FunctionId: this.functionName, BlobType: 'BlockBlob', ContainerName: this.container, BlobName: path.slice(this.container.length + 1), ETag: etag };
    await this.poisonQueue.createIfNotExists();
    await this.poisonQueue.sendMessage(Buffer.from(JSON.stringify(message), 'utf8').toString('base64'));
    this.logger.host(`blob trigger ${this.functionName}: ${path} failed ${MAX_TRIES} times; sent to ${this.poisonQueue.name}`);
  }
}
