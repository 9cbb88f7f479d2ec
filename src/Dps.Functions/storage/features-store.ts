import type { TableClient } from '@azure/data-tables';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { isNotFound } from './storage-errors';
import { encodedKey, upsertInBatches } from './table-batches';
import { packJson, unpackJson } from './table-json';

/** An entity's latest accepted features (silver values) and where they came from. */
export interface OnlineFeatures {
  entity: string;
  values: Record<string, TypedValue>;
  /** The silver blob the values were read from (the offline store). */
  source: string;
}

/** The online feature store, table `features`: one row per dataset and entity (the contract's primary key), latest wins. */
export class FeaturesStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** Writes the entities' features; a later batch's values replace an earlier one's. */
  async write(dataset: string, rows: OnlineFeatures[]): Promise<void> {
    await upsertInBatches(await this.table(), rows.map((r) => ({ partitionKey: dataset, rowKey: encodedKey(r.entity), ...packJson('f', r) })));
  }

  /** The features of each entity, in the order asked; undefined for an entity the store does not hold. */
  async read(dataset: string, entities: string[]): Promise<Array<OnlineFeatures | undefined>> {
    const table = await this.table();
    return Promise.all(entities.map(async (entity) => {
      try {
        return unpackJson<OnlineFeatures>(await table.getEntity<Record<string, unknown>>(dataset, encodedKey(entity)), 'f');
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }));
  }
}
