import type { TableClient, TableEntity, TransactionAction } from '@azure/data-tables';

/** Most operations one entity-group transaction may hold. */
const MAX_TRANSACTION = 100;

/**
 * Upserts entities in entity-group transactions: grouped by partition, 100 at a time, and a row key
 * written twice in one call keeps its last value (a transaction may not touch one row twice).
 */
export async function upsertInBatches(table: TableClient, entities: TableEntity<Record<string, unknown>>[]): Promise<void> {
  const byPartition = new Map<string, Map<string, TableEntity<Record<string, unknown>>>>();
  for (const entity of entities) {
    const rows = byPartition.get(entity.partitionKey) ?? new Map<string, TableEntity<Record<string, unknown>>>();
    rows.set(entity.rowKey, entity);
    byPartition.set(entity.partitionKey, rows);
  }
  const transactions: Promise<unknown>[] = [];
  for (const rows of byPartition.values()) {
    const all = [...rows.values()];
    for (let i = 0; i < all.length; i += MAX_TRANSACTION) {
      const actions: TransactionAction[] = all.slice(i, i + MAX_TRANSACTION).map((e) => ['upsert', e, 'Replace']);
      transactions.push(table.submitTransaction(actions));
    }
  }
  await Promise.all(transactions);
}

/** A table key for an id the caller chose (entity ids): percent-encoded, so `/ \ # ?` and control characters cannot occur. */
export function encodedKey(id: string): string {
  return encodeURIComponent(id);
}
