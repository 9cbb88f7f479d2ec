import { odata, TableClient } from '@azure/data-tables';
import type { BlobRef } from '../storage/blob-io';
import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import { nextNumber, numberedKey, numberedKeyRange } from '../../Dps.Domain/numbered-keys';
import { takenNumbers } from '../storage/numbered-rows';
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

const VERSION_PREFIX = 'silver-v';

/** The ordered silver versions of each dataset, in table `datasets`. */
export class SilverCatalog {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** The number the next version would take (the silver is written under it before the version is appended). */
  async nextVersion(dataset: string): Promise<number> {
    return nextNumber(await takenNumbers(await this.table(), dataset, VERSION_PREFIX));
  }

  /** Appends a version under its number (insert-only); undefined when another writer took that number first. */
  async append(entry: Omit<SilverVersion, 'createdAt'>): Promise<SilverVersion | undefined> {
    const record: SilverVersion = { ...entry, createdAt: new Date().toISOString() };
    try {
      await (await this.table()).createEntity({ partitionKey: entry.dataset, rowKey: numberedKey(VERSION_PREFIX, entry.version), json: JSON.stringify(record) });
      return record;
    } catch (error) {
      if (isWriteConflict(error)) return undefined;
      throw error;
    }
  }

  /** Every version of a dataset, oldest first. */
  async list(dataset: string): Promise<SilverVersion[]> {
    const table = await this.table();
    const out: SilverVersion[] = [];
    const { from, to } = numberedKeyRange(VERSION_PREFIX);
    const rows = table.listEntities<{ json: string }>({ queryOptions: { filter: odata`PartitionKey eq ${dataset} and RowKey ge ${from} and RowKey lt ${to}` } });
    for await (const row of rows) out.push(JSON.parse(row.json) as SilverVersion);
    return out;
  }

  /** The newest version, if any. */
  async latest(dataset: string): Promise<SilverVersion | undefined> {
    const all = await this.list(dataset);
    return all[all.length - 1];
  }
}
