import { TableClient } from '@azure/data-tables';
import type { OffHoursResource } from '../../Dps.Domain/finops/resource-decision';
import type { TagChanges } from '../../Dps.Domain/finops/tag-changes';
import { hasOffHoursTag } from '../../Dps.Domain/finops/offhours-tags';
import { applyTagChanges } from '../../Dps.Domain/finops/tag-changes';
import type { FinOpsInventory } from './finops-inventory';
import { hashedKey } from '../storage/table-keys';
import { isNotFound } from '../storage/storage-errors';

/** The table that stands in for Azure when `DPS_FINOPS_INVENTORY=local` (filled by `dps finops seed`). */
export const LOCAL_INVENTORY_TABLE = 'finopsinventory';
const PARTITION = 'resource';

/**
 * A resource of the local inventory. `simulateFailure` makes every stop and start of it fail with
 * that message, to rehearse how a run copes with a resource that cannot be changed.
 */
export interface LocalResource extends OffHoursResource {
  simulateFailure?: string;
}

interface Row {
  partitionKey: string;
  rowKey: string;
  etag?: string;
  id: string;
  type: string;
  state: 'running' | 'stopped';
  tags: string;
  simulateFailure?: string;
  changedAt?: string;
}

const toResource = (row: Row): LocalResource => ({
  id: row.id, type: row.type, state: row.state, tags: JSON.parse(row.tags) as Record<string, string>,
  ...(row.simulateFailure ? { simulateFailure: row.simulateFailure } : {}),
});

const toRow = (resource: LocalResource): Row => ({
  partitionKey: PARTITION, rowKey: hashedKey(resource.id), id: resource.id, type: resource.type, state: resource.state,
  tags: JSON.stringify(resource.tags), ...(resource.simulateFailure ? { simulateFailure: resource.simulateFailure } : {}),
});

// A stop or start of a resource that simulates a failure fails, as a real one would.
function powered(row: Row): Row {
  if (row.simulateFailure) throw new Error(row.simulateFailure);
  return row;
}

/** Simulated resources in a table: stop and start flip the row's state, tag changes rewrite its tags. */
export class LocalFinOpsInventory implements FinOpsInventory {
  constructor(private readonly table: TableClient) {}

  /** Every resource with a `dps-offhours` tag, by id. */
  async list(): Promise<LocalResource[]> {
    const resources: LocalResource[] = [];
    for await (const row of this.table.listEntities<Row>()) resources.push(toResource(row));
    return resources.filter((r) => hasOffHoursTag(r.tags)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** One resource, or undefined. */
  async get(id: string): Promise<LocalResource | undefined> {
    const row = await this.row(id);
    return row && toResource(row);
  }

  /** Marks the resource stopped (fails with its `simulateFailure`, if any). */
  async stop(resource: OffHoursResource): Promise<void> {
    await this.change(resource.id, (row) => ({ ...powered(row), state: 'stopped' }));
  }

  /** Marks the resource running (fails with its `simulateFailure`, if any). */
  async start(resource: OffHoursResource): Promise<void> {
    await this.change(resource.id, (row) => ({ ...powered(row), state: 'running' }));
  }

  /** Rewrites the resource's tags. */
  async updateTags(resource: OffHoursResource, changes: TagChanges): Promise<void> {
    await this.change(resource.id, (row) => ({ ...row, tags: JSON.stringify(applyTagChanges(JSON.parse(row.tags) as Record<string, string>, changes)) }));
  }

  /** Replaces the whole inventory (`dps finops seed`). */
  async replaceAll(resources: LocalResource[]): Promise<void> {
    for await (const row of this.table.listEntities<Row>()) await this.table.deleteEntity(row.partitionKey, row.rowKey);
    for (const resource of resources) await this.table.createEntity(toRow(resource));
  }

  private async row(id: string): Promise<Row | undefined> {
    try {
      return await this.table.getEntity<Row>(PARTITION, hashedKey(id));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  // Read, change, write back with If-Match: a concurrent change fails this one, and the caller's retry re-reads.
  private async change(id: string, update: (row: Row) => Row): Promise<void> {
    const row = await this.row(id);
    if (!row) throw new Error(`resource ${id} is not in the local inventory`);
    const { etag, ...next } = update(row);
    await this.table.updateEntity({ ...next, changedAt: new Date().toISOString() }, 'Replace', { etag });
  }
}
