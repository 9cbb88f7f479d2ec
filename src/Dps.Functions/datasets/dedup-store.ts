import type { BlobServiceClient } from '@azure/storage-blob';
import type { DedupState } from '../../Dps.Domain/data/dedup-index';
import { isNotFound, isWriteConflict } from '../storage/storage-errors';

/** A dataset's dedup state with the ETag it was read at (undefined: none stored yet). */
export interface VersionedDedup {
  state?: DedupState;
  etag?: string;
}

/** Thrown when another batch of the same dataset saved its dedup state first; the activity retries. */
export class DedupConflictError extends Error {}

/** Cross-batch dedup memory per dataset, one blob `{dataset}/dedup-state.json` in gold, written with ETags. */
export class DedupStore {
  constructor(
    private readonly blobs: BlobServiceClient,
    private readonly container: string,
  ) {}

  private client(dataset: string) {
    return this.blobs.getContainerClient(this.container).getBlockBlobClient(`${dataset}/dedup-state.json`);
  }

  /** Reads the state and its ETag. */
  async read(dataset: string): Promise<VersionedDedup> {
    try {
      const client = this.client(dataset);
      const props = await client.getProperties();
      const body = await client.downloadToBuffer(0, undefined, { conditions: { ifMatch: props.etag } });
      return { state: JSON.parse(body.toString('utf8')) as DedupState, etag: props.etag };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /** Saves the state only if nobody saved since `read`; a lost race is a DedupConflictError. */
  async save(dataset: string, state: DedupState, readAt: VersionedDedup): Promise<void> {
    await this.blobs.getContainerClient(this.container).createIfNotExists();
    try {
      const body = Buffer.from(JSON.stringify(state), 'utf8');
      await this.client(dataset).uploadData(body, { conditions: readAt.etag ? { ifMatch: readAt.etag } : { ifNoneMatch: '*' } });
    } catch (error) {
      if (isWriteConflict(error)) throw new DedupConflictError(`dedup state of '${dataset}' changed during validation`);
      throw error;
    }
  }
}
