import { odata, TableClient } from '@azure/data-tables';
import type { BlobRef } from '../storage/blob-io';
import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import { numberedKeyRange } from '../../Dps.Domain/numbered-keys';
import { insertNumbered } from '../storage/numbered-rows';

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

  /** Appends a version with the next number (insert-only, so two writers never share a number). */
  async append(entry: Omit<SilverVersion, 'version' | 'createdAt'>): Promise<SilverVersion> {
    return insertNumbered(await this.table(), entry.dataset, VERSION_PREFIX, `a silver version for '${entry.dataset}'`, (version) => {
      const record: SilverVersion = { ...entry, version, createdAt: new Date().toISOString() };
      return { properties: { json: JSON.stringify(record) }, value: record };
    });
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
