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

/** Why a contract cannot be stored (a table row cannot hold it), saying what to do; undefined when it can. */
export function contractTooLarge(dataset: string, contract: DataContract): string | undefined {
  const chars = JSON.stringify(contract).length;
  if (chars <= MAX_CONTRACT_CHARS) return undefined;
  return `the contract of '${dataset}' is ${chars} characters of JSON, more than the ${MAX_CONTRACT_CHARS} a stored contract may have: list allowed values only for real categories, and split very wide data`;
}

function checkSize(dataset: string, contract: DataContract): void {
  const problem = contractTooLarge(dataset, contract);
  if (problem) throw new Error(problem);
}

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
    checkSize(dataset, contract);
    const table = await this.table();
    const { stored, properties } = await insertNumbered(table, dataset, REVISION_PREFIX, `a contract revision for '${dataset}'`, (revision) => {
      const row = { contract, revision, storedAt: new Date().toISOString(), storedBy, origin };
      const properties = { revision, storedAt: row.storedAt, storedBy, origin, ...packJson('c', contract) };
      return { properties, value: { stored: row, properties } };
    });
    await this.makeCurrent(table, dataset, properties);
    return stored;
  }

  /**
   * Stores an inferred contract as revision 1 unless the dataset has a contract: of first batches
   * inferring at once, the first to store wins and the others get (and validate under) its contract.
   */
  async putInferred(dataset: string, contract: DataContract): Promise<{ stored: StoredContract; created: boolean }> {
    const existing = await this.current(dataset);
    if (existing) return { stored: existing, created: false };
    checkSize(dataset, contract);
    const table = await this.table();
    const row = { contract, revision: 1, storedAt: new Date().toISOString(), storedBy: 'system', origin: 'inferred' as const };
    const properties = { revision: 1, storedAt: row.storedAt, storedBy: row.storedBy, origin: row.origin, ...packJson('c', contract) };
    try {
      await table.createEntity({ partitionKey: dataset, rowKey: numberedKey(REVISION_PREFIX, 1), ...properties });
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
      // Another first batch (or a PUT) stored revision 1 first: use the dataset's current contract.
      return { stored: (await this.current(dataset)) ?? (await this.revision(dataset, 1)), created: false };
    }
    await this.makeCurrent(table, dataset, properties);
    return { stored: row, created: true };
  }

  /** Deletes every row of the dataset's partition (contract revisions and whatever else the table keeps for it); returns how many. */
  async removeDataset(dataset: string): Promise<number> {
    const table = await this.table();
    let removed = 0;
    for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${dataset}`, select: ['RowKey'] } })) {
      await table.deleteEntity(dataset, row.rowKey!).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      removed++;
    }
    return removed;
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
