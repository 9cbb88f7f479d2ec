import { TableClient, odata } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';

/** Storage clients for one connection (Azurite locally), created once and shared by all bindings. */
export class StorageBindings {
  readonly blobs: BlobServiceClient;
  readonly queues: QueueServiceClient;
  private readonly tables = new Map<string, TableClient>();

  constructor(private readonly connectionString: string) {
    this.blobs = BlobServiceClient.fromConnectionString(connectionString);
    this.queues = QueueServiceClient.fromConnectionString(connectionString);
  }

  /** Returns (and creates on first use) a table client. */
  async table(name: string): Promise<TableClient> {
    let client = this.tables.get(name);
    if (!client) {
      client = TableClient.fromConnectionString(this.connectionString, name, { allowInsecureConnection: true });
      await client.createTable();
      this.tables.set(name, client);
    }
    return client;
  }

  /** Blob input binding: the blob's bytes, or undefined when it does not exist. */
  async readBlob(path: string): Promise<Buffer | undefined> {
    const { container, blob } = splitBlobPath(path);
    const client = this.blobs.getContainerClient(container).getBlobClient(blob);
    try {
      return await client.downloadToBuffer();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Whether the blob exists, without reading it. */
  async blobExists(path: string): Promise<boolean> {
    const { container, blob } = splitBlobPath(path);
    return this.blobs.getContainerClient(container).getBlobClient(blob).exists();
  }

  /** Blob output binding: writes (overwrites) the blob, creating the container if needed. */
  async writeBlob(path: string, data: Buffer): Promise<void> {
    const { container, blob } = splitBlobPath(path);
    const containerClient = this.blobs.getContainerClient(container);
    await containerClient.createIfNotExists();
    await containerClient.getBlockBlobClient(blob).uploadData(data);
  }

  /** Table input binding: one entity by keys, or a filtered list. */
  async readTable(name: string, query: { partitionKey?: string; rowKey?: string; filter?: string; take?: number }): Promise<unknown> {
    const table = await this.table(name);
    if (query.partitionKey !== undefined && query.rowKey !== undefined) {
      try {
        return await table.getEntity(query.partitionKey, query.rowKey);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return null;
        throw error;
      }
    }
    const filters = [query.filter, query.partitionKey !== undefined ? odata`PartitionKey eq ${query.partitionKey}` : undefined].filter(Boolean);
    const out: unknown[] = [];
    for await (const entity of table.listEntities({ queryOptions: { filter: filters.length ? filters.map((f) => `(${f})`).join(' and ') : undefined } })) {
      out.push(entity);
      if (query.take && out.length >= query.take) break;
    }
    return out;
  }

  /** Table output binding: upserts each entity (`PartitionKey`/`RowKey` or camelCase keys). */
  async writeTable(name: string, entities: Record<string, unknown>[], defaults: { partitionKey?: string; rowKey?: string }): Promise<void> {
    const table = await this.table(name);
    for (const entity of entities) {
      const { PartitionKey, RowKey, partitionKey, rowKey, ...rest } = entity;
      const pk = PartitionKey ?? partitionKey ?? defaults.partitionKey;
      const rk = RowKey ?? rowKey ?? defaults.rowKey;
      if (pk === undefined || rk === undefined) throw new Error(`Table output '${name}': every entity needs PartitionKey and RowKey.`);
      await table.upsertEntity({ partitionKey: String(pk), rowKey: String(rk), ...rest }, 'Replace');
    }
  }

  /** Queue output binding: base64-encodes each message, as the host's default encoding does. */
  async enqueue(queueName: string, messages: unknown[]): Promise<void> {
    const queue = this.queues.getQueueClient(queueName);
    await queue.createIfNotExists();
    for (const message of messages) {
      const text = typeof message === 'string' ? message : Buffer.isBuffer(message) ? message.toString('utf8') : JSON.stringify(message);
      await queue.sendMessage(Buffer.from(text, 'utf8').toString('base64'));
    }
  }
}

/** Splits `container/path/to/blob` into its container and blob name. */
export function splitBlobPath(path: string): { container: string; blob: string } {
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw new Error(`Blob path '${path}' must look like 'container/blob'.`);
  return { container: path.slice(0, slash), blob: path.slice(slash + 1) };
}
