import type { BlobServiceClient } from '@azure/storage-blob';
import type { DedupState } from '../../Dps.Domain/data/dedup-index';
import type { DpsSettings } from '../settings';
import { dedupStateBlob } from '../storage/blob-layout';
import { isNotFound, isWriteConflict } from '../storage/storage-errors';

/** A dataset's dedup state with the ETag it was read at (undefined: none stored yet). */
export interface VersionedDedup {
  state?: DedupState;
  etag?: string;
  /** The batches whose rows the state holds (ids given to save): a re-run after its save knows it is in. */
  batches?: string[];
}

/** The blob: the state and the batches folded into it, saved together so neither can be ahead of the other. */
type StoredDedup = DedupState & { batches?: string[] };

/** Thrown when another batch of the same dataset saved its dedup state first; the activity retries. */
export class DedupConflictError extends Error {}

/** Cross-batch dedup memory per dataset, one blob `{dataset}/dedup-state.json` in gold, written with ETags. */
export class DedupStore {
  constructor(
    private readonly blobs: BlobServiceClient,
    private readonly containers: DpsSettings['containers'],
  ) {}

  private client(dataset: string) {
    const ref = dedupStateBlob(this.containers, dataset);
    return this.blobs.getContainerClient(ref.container).getBlockBlobClient(ref.name);
  }

  /** Reads the state and its ETag. */
  async read(dataset: string): Promise<VersionedDedup> {
    try {
      const client = this.client(dataset);
      const props = await client.getProperties();
      const body = await client.downloadToBuffer(0, undefined, { conditions: { ifMatch: props.etag } });
      const { batches = [], ...state } = JSON.parse(body.toString('utf8')) as StoredDedup;
      return { state, etag: props.etag, batches };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /**
   * The key the stored state deduplicates by ([] for whole rows), undefined when there is none; read from
   * the blob's metadata so a large state is not downloaded to answer (states saved before it was kept: read whole).
   */
  async keyColumns(dataset: string): Promise<string[] | undefined> {
    try {
      const props = await this.client(dataset).getProperties();
      const kept = props.metadata?.keycolumns;
      if (kept !== undefined) return JSON.parse(Buffer.from(kept, 'base64').toString('utf8')) as string[];
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
    return (await this.read(dataset)).state?.keyColumns;
  }

  /**
   * Saves the state with `batch` (the id of what was folded in) added to its batches, only if nobody
   * saved since `read`; a lost race is a DedupConflictError.
   */
  async save(dataset: string, state: DedupState, readAt: VersionedDedup, batch: string): Promise<void> {
    await this.blobs.getContainerClient(this.containers.gold).createIfNotExists();
    try {
      const stored: StoredDedup = { ...state, batches: [...(readAt.batches ?? []), batch] };
      const body = Buffer.from(JSON.stringify(stored), 'utf8');
      // The key in metadata (base64 JSON: metadata values are ASCII) answers keyColumns without the body.
      const metadata = { keycolumns: Buffer.from(JSON.stringify(state.keyColumns)).toString('base64') };
      await this.client(dataset).uploadData(body, { conditions: readAt.etag ? { ifMatch: readAt.etag } : { ifNoneMatch: '*' }, metadata });
    } catch (error) {
      if (isWriteConflict(error)) throw new DedupConflictError(`dedup state of '${dataset}' changed during validation`);
      throw error;
    }
  }
}
