import { odata, TableClient } from '@azure/data-tables';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { parseContract } from '../../Dps.Domain/data/contract-schema';
import { packJson, unpackJson } from '../adapters/table-json';

/** A contract as stored for a dataset, with its revision and provenance. */
export interface StoredContract {
  contract: DataContract;
  revision: number;
  storedAt: string;
  storedBy: string;
  /** 'user' for a PUT, 'inferred' when the first batch had none. */
  origin: 'user' | 'inferred';
}

const CURRENT = 'contract';
const revisionKey = (n: number) => `contract-r${String(n).padStart(6, '0')}`;

/** Data contracts per dataset in table `datasets`: the current one plus every earlier revision. */
export class ContractStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** The dataset's current contract, if one is stored. */
  async current(dataset: string): Promise<StoredContract | undefined> {
    const table = await this.table();
    try {
      const row = await table.getEntity<Record<string, unknown>>(dataset, CURRENT);
      return this.fromRow(row);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Stores a new revision and makes it current; the contract must already be valid. */
  async put(dataset: string, contract: DataContract, storedBy: string, origin: StoredContract['origin']): Promise<StoredContract> {
    const table = await this.table();
    const previous = await this.current(dataset);
    const stored: StoredContract = { contract, revision: (previous?.revision ?? 0) + 1, storedAt: new Date().toISOString(), storedBy, origin };
    const props = { revision: stored.revision, storedAt: stored.storedAt, storedBy, origin, ...packJson('c', contract) };
    await table.upsertEntity({ partitionKey: dataset, rowKey: revisionKey(stored.revision), ...props }, 'Replace');
    await table.upsertEntity({ partitionKey: dataset, rowKey: CURRENT, ...props }, 'Replace');
    return stored;
  }

  /** One stored revision; a missing one is an error naming the dataset (activities only ask for revisions they were given). */
  async revision(dataset: string, revision: number): Promise<StoredContract> {
    const table = await this.table();
    try {
      return this.fromRow(await table.getEntity<Record<string, unknown>>(dataset, revisionKey(revision)));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) throw new Error(`contract revision ${revision} of '${dataset}' is not stored`);
      throw error;
    }
  }

  /** Every stored revision, oldest first. */
  async revisions(dataset: string): Promise<StoredContract[]> {
    const table = await this.table();
    const out: StoredContract[] = [];
    const rows = table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${dataset} and RowKey ge 'contract-r' and RowKey lt 'contract-s'` } });
    for await (const row of rows) out.push(this.fromRow(row));
    return out;
  }

  private fromRow(row: Record<string, unknown>): StoredContract {
    const parsed = parseContract(unpackJson(row, 'c'));
    if (!parsed.ok) throw new Error(`stored contract of '${String(row.partitionKey)}' is invalid: ${parsed.error.join('; ')}`);
    return {
      contract: parsed.value,
      revision: Number(row.revision),
      storedAt: String(row.storedAt),
      storedBy: String(row.storedBy),
      origin: row.origin === 'inferred' ? 'inferred' : 'user',
    };
  }
}
