import { odata, TableClient } from '@azure/data-tables';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { parseContract } from '../../Dps.Domain/data/contract-schema';
import { numberedKey, numberedKeyRange } from '../../Dps.Domain/numbered-keys';
import { insertNumbered } from '../storage/numbered-rows';
import { Page, tablePage } from '../shared/paging';
import { packJson, unpackJson } from '../storage/table-json';
import { isNotFound, isWriteConflict } from '../storage/storage-errors';

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
const REVISION_PREFIX = 'contract-r';
/** Largest contract (JSON characters) a table row holds: entities are capped at 1 MiB of UTF-16 text. */
const MAX_CONTRACT_CHARS = 450_000;

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
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Stores a new revision and makes it current; the contract must already be valid. The revision row
   * is insert-only, so two writers at once (a PUT and an inferring pipeline) get two revisions instead
   * of one overwriting the other's under the same number.
   */
  async put(dataset: string, contract: DataContract, storedBy: string, origin: StoredContract['origin']): Promise<StoredContract> {
    const chars = JSON.stringify(contract).length;
    if (chars > MAX_CONTRACT_CHARS) {
      throw new Error(`the contract of '${dataset}' is ${chars} characters of JSON, more than the ${MAX_CONTRACT_CHARS} a stored contract may have: list allowed values only for real categories, and split very wide data`);
    }
    const table = await this.table();
    const { stored, properties } = await insertNumbered(table, dataset, REVISION_PREFIX, `a contract revision for '${dataset}'`, (revision) => {
      const row = { contract, revision, storedAt: new Date().toISOString(), storedBy, origin };
      const properties = { revision, storedAt: row.storedAt, storedBy, origin, ...packJson('c', contract) };
      return { properties, value: { stored: row, properties } };
    });
    await this.makeCurrent(table, dataset, properties);
    return stored;
  }

  // The current row only moves forward: a writer that lost the race for it leaves the newer revision current.
  private async makeCurrent(table: TableClient, dataset: string, props: { revision: number } & Record<string, unknown>): Promise<void> {
    for (;;) {
      let etag: string | undefined;
      try {
        const row = await table.getEntity<{ revision: number }>(dataset, CURRENT);
        if (Number(row.revision) >= props.revision) return;
        etag = row.etag;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      try {
        if (etag) await table.updateEntity({ partitionKey: dataset, rowKey: CURRENT, ...props }, 'Replace', { etag });
        else await table.createEntity({ partitionKey: dataset, rowKey: CURRENT, ...props });
        return;
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
      }
    }
  }

  /** One stored revision; a missing one is an error naming the dataset (activities only ask for revisions they were given). */
  async revision(dataset: string, revision: number): Promise<StoredContract> {
    const table = await this.table();
    try {
      return this.fromRow(await table.getEntity<Record<string, unknown>>(dataset, numberedKey(REVISION_PREFIX, revision)));
    } catch (error) {
      if (isNotFound(error)) throw new Error(`contract revision ${revision} of '${dataset}' is not stored`);
      throw error;
    }
  }

  /** One page of datasets with a contract, by name, each with its current contract (one row per dataset). */
  async page(top: number, continuationToken: string | undefined): Promise<Page<{ dataset: string; contract: StoredContract }>> {
    const page = await tablePage<Record<string, unknown>>(await this.table(), odata`RowKey eq ${CURRENT}`, top, continuationToken);
    return { items: page.items.map((row) => ({ dataset: row.partitionKey as string, contract: this.fromRow(row) })), continuationToken: page.continuationToken };
  }

  /** Every stored revision, oldest first. */
  async revisions(dataset: string): Promise<StoredContract[]> {
    const table = await this.table();
    const out: StoredContract[] = [];
    const { from, to } = numberedKeyRange(REVISION_PREFIX);
    const rows = table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${dataset} and RowKey ge ${from} and RowKey lt ${to}` } });
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
