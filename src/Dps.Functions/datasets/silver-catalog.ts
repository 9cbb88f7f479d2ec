import { odata, TableClient } from '@azure/data-tables';
import type { BlobRef } from '../storage/blob-io';
import type { RowCounts } from '../../Dps.Domain/data/batch-validator';
import { isWriteConflict } from '../storage/storage-errors';

/** One silver version of a dataset: an accepted batch, or rows recovered by a quarantine replay. */
export interface SilverVersion {
  dataset: string;
  version: number;
  kind: 'batch' | 'replay';
  silver: BlobRef;
  sha256: string;
  contractRevision: number;
  rows: RowCounts;
  createdAt: string;
  pipelineInstanceId?: string;
  /** For a replay: the quarantine files whose rows it re-validated. */
  replayedFrom?: BlobRef[];
}

const versionKey = (n: number) => `silver-v${String(n).padStart(6, '0')}`;

/** The ordered silver versions of each dataset, in table `datasets`. */
export class SilverCatalog {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** Appends a version with the next number (insert-only, so two writers never share a number). */
  async append(entry: Omit<SilverVersion, 'version' | 'createdAt'>): Promise<SilverVersion> {
    const table = await this.table();
    for (let attempt = 0; attempt < 20; attempt++) {
      const version = ((await this.latest(entry.dataset))?.version ?? 0) + 1;
      const record: SilverVersion = { ...entry, version, createdAt: new Date().toISOString() };
      try {
        await table.createEntity({ partitionKey: entry.dataset, rowKey: versionKey(version), json: JSON.stringify(record) });
        return record;
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
      }
    }
    throw new Error(`could not allocate a silver version for '${entry.dataset}'`);
  }

  /** Every version of a dataset, oldest first. */
  async list(dataset: string): Promise<SilverVersion[]> {
    const table = await this.table();
    const out: SilverVersion[] = [];
    const rows = table.listEntities<{ json: string }>({ queryOptions: { filter: odata`PartitionKey eq ${dataset} and RowKey ge 'silver-v' and RowKey lt 'silver-w'` } });
    for await (const row of rows) out.push(JSON.parse(row.json) as SilverVersion);
    return out;
  }

  /** The newest version, if any. */
  async latest(dataset: string): Promise<SilverVersion | undefined> {
    const all = await this.list(dataset);
    return all[all.length - 1];
  }
}
