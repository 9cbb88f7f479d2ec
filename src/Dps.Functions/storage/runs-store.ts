import { odata, TableClient } from '@azure/data-tables';
import { Page, tablePage } from '../shared/paging';
import { isNotFound } from './storage-errors';
import { packJson, unpackJson } from './table-json';

/** What every stored run carries outside its packed body: its keys, its status and when it started. */
export interface StoredRun {
  instanceId: string;
  dataset: string;
  status: string;
  /** When the batch landed; runs stored before it was recorded sort by their first stage. */
  landedAt?: string;
  stages: { startedAt: string }[];
}

/** Filters of the newest-first run list. */
export interface RunQuery {
  dataset?: string;
  status?: string;
  top: number;
  continuationToken?: string;
}

/** The partition of the newest-first index; dataset names start with a letter or digit, so none is `~newest`. */
const NEWEST = '~newest';
const LATEST_MS = 9_999_999_999_999;

/** The index row key: inverted start time (newest sorts first), then the instance id. */
function newestKey(run: StoredRun): string {
  const at = Date.parse(run.landedAt ?? run.stages[0]?.startedAt ?? '') || 0;
  return `${String(LATEST_MS - at).padStart(13, '0')}-${run.instanceId}`;
}

/**
 * The `runs` table, written and read here only: one row per pipeline run (partition: dataset, row:
 * instance id), the status and dataset as columns for queries and the whole result packed as JSON
 * (`r0..rN`); a copy in partition `~newest` keyed by inverted start time serves the newest-first list.
 */
export class RunsStore<T extends StoredRun> {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** Writes (or rewrites) a run and its newest-first index row; a run started again moves its index row. */
  async save(run: T): Promise<void> {
    const table = await this.table();
    const indexKey = newestKey(run);
    let previousKey: string | undefined;
    try {
      previousKey = (await table.getEntity<{ indexKey?: string }>(run.dataset, run.instanceId, { queryOptions: { select: ['indexKey'] } })).indexKey;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const packed = { dataset: run.dataset, status: run.status, indexKey, ...packJson('r', run) };
    await table.upsertEntity({ partitionKey: run.dataset, rowKey: run.instanceId, ...packed }, 'Replace');
    await table.upsertEntity({ partitionKey: NEWEST, rowKey: indexKey, ...packed }, 'Replace');
    if (previousKey && previousKey !== indexKey) {
      await table.deleteEntity(NEWEST, previousKey).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
    }
  }

  /** Every run of a dataset, in instance-id order. */
  async ofDataset(dataset: string): Promise<T[]> {
    return this.read(odata`PartitionKey eq ${dataset}`);
  }

  /** Deletes every run of a dataset and its newest-first index rows (a dataset reset); returns their instance ids. */
  async removeDataset(dataset: string): Promise<string[]> {
    const table = await this.table();
    const removed: string[] = [];
    const gone = (error: unknown) => {
      if (!isNotFound(error)) throw error;
    };
    for await (const row of table.listEntities<{ indexKey?: string }>({ queryOptions: { filter: odata`PartitionKey eq ${dataset}`, select: ['RowKey', 'indexKey'] } })) {
      if (row.indexKey) await table.deleteEntity(NEWEST, row.indexKey).catch(gone);
      await table.deleteEntity(dataset, row.rowKey!).catch(gone);
      removed.push(row.rowKey!);
    }
    return removed;
  }

  /** Every run (also those stored before the newest-first index existed), in dataset order. */
  async all(): Promise<T[]> {
    return this.read(odata`PartitionKey ne ${NEWEST}`);
  }

  /** One page of runs, newest first, optionally of one dataset and one status. */
  async page(query: RunQuery): Promise<Page<T>> {
    let filter = odata`PartitionKey eq ${NEWEST}`;
    if (query.dataset) filter += ` and ${odata`dataset eq ${query.dataset}`}`;
    if (query.status) filter += ` and ${odata`status eq ${query.status}`}`;
    const page = await tablePage<Record<string, unknown>>(await this.table(), filter, query.top, query.continuationToken);
    return { items: page.items.map((row) => unpackJson<T>(row, 'r')).filter((run): run is T => run !== undefined), continuationToken: page.continuationToken };
  }

  private async read(filter: string): Promise<T[]> {
    const table = await this.table();
    const runs: T[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const run = unpackJson<T>(row, 'r');
      if (run) runs.push(run);
    }
    return runs;
  }
}
