import { odata, TableClient } from '@azure/data-tables';
import { packJson, unpackJson } from './table-json';

/** What every stored run carries outside its packed body: its keys and its status. */
export interface StoredRun {
  instanceId: string;
  dataset: string;
  status: string;
}

/**
 * The `runs` table, written and read here only: one row per pipeline run (partition: dataset, row:
 * instance id), the status as a column for queries and the whole result packed as JSON (`r0..rN`).
 */
export class RunsStore<T extends StoredRun> {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** Writes (or rewrites) a run. */
  async save(run: T): Promise<void> {
    const table = await this.table();
    await table.upsertEntity({ partitionKey: run.dataset, rowKey: run.instanceId, status: run.status, ...packJson('r', run) }, 'Replace');
  }

  /** Every run of a dataset, in instance-id order. */
  async ofDataset(dataset: string): Promise<T[]> {
    const table = await this.table();
    const runs: T[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${dataset}` } })) {
      const run = unpackJson<T>(row, 'r');
      if (run) runs.push(run);
    }
    return runs;
  }
}
