import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ContainerClient } from '@azure/storage-blob';
import type { HistoryEvent } from './history';

/** Payloads above this many bytes travel through a blob, as the Durable extension's large-message support does (~45 KB). */
export const LARGE_MESSAGE_BYTES = 45 * 1024;

/** The event fields that can carry a payload. */
const PAYLOAD_FIELDS = ['Input', 'Result', 'Reason', 'Details'] as const;

/** A history event as stored: large payload fields replaced by the names of the blobs that hold them. */
export type StoredEvent = HistoryEvent & { Blobs?: Partial<Record<(typeof PAYLOAD_FIELDS)[number], string>> };

/**
 * Large payloads of one task hub in its `<hub>-largemessages` container (gzip, one blob per payload,
 * named `<instanceId>/<uuid>.json.gz` so an instance's purge finds them). Table rows keep the blob name.
 */
export class LargeMessages {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly container: ContainerClient) {}

  /** The container name for a task hub (container names are lower-case letters, digits and hyphens). */
  static containerName(taskHub: string): string {
    return `${taskHub.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 40) || 'hub'}-largemessages`;
  }

  /** The text itself when small, else the name of the blob it was written to. */
  async offload(instanceId: string, text: string): Promise<{ text: string } | { blob: string }> {
    if (Buffer.byteLength(text) <= LARGE_MESSAGE_BYTES) return { text };
    this.ready ??= this.container.createIfNotExists();
    await this.ready;
    const blob = `${instanceId}/${randomUUID()}.json.gz`;
    const body = gzipSync(text);
    await this.container.getBlockBlobClient(blob).upload(body, body.length);
    return { blob };
  }

  /** Reads back an offloaded payload. */
  async fetch(blob: string): Promise<string> {
    return gunzipSync(await this.container.getBlobClient(blob).downloadToBuffer()).toString('utf8');
  }

  /** The event as stored: each large payload field moved to a blob. */
  async storeEvent(instanceId: string, event: HistoryEvent): Promise<StoredEvent> {
    let stored: StoredEvent = event;
    for (const field of PAYLOAD_FIELDS) {
      const value = event[field];
      if (typeof value !== 'string') continue;
      const placed = await this.offload(instanceId, value);
      if ('blob' in placed) stored = { ...stored, [field]: undefined, Blobs: { ...stored.Blobs, [field]: placed.blob } };
    }
    return stored;
  }

  /** The event as it was before `storeEvent`. */
  async loadEvent(stored: StoredEvent): Promise<HistoryEvent> {
    if (!stored.Blobs) return stored;
    const { Blobs, ...event } = stored;
    for (const [field, blob] of Object.entries(Blobs)) (event as Record<string, unknown>)[field] = await this.fetch(blob as string);
    return event;
  }

  /** A value packed for a table row: its JSON when small, else a blob reference. */
  async storeValue(instanceId: string, value: unknown): Promise<unknown> {
    if (value === undefined) return undefined;
    const placed = await this.offload(instanceId, JSON.stringify(value));
    return 'blob' in placed ? { $largeMessage: placed.blob } : value;
  }

  /** The value `storeValue` was given. */
  async loadValue(stored: unknown): Promise<unknown> {
    const blob = (stored as { $largeMessage?: unknown } | null)?.$largeMessage;
    return typeof blob === 'string' ? JSON.parse(await this.fetch(blob)) : stored;
  }

  /** Deletes every payload blob of an instance. */
  async purge(instanceId: string): Promise<void> {
    if (!(await this.container.exists())) return;
    for await (const blob of this.container.listBlobsFlat({ prefix: `${instanceId}/` })) await this.container.deleteBlob(blob.name);
  }
}
