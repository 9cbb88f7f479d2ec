import { odata, TableClient } from '@azure/data-tables';
import { MAX_NUMBER_ATTEMPTS, nextNumber, numberedKey, numberedKeyRange, numberOfKey } from '../../Dps.Domain/numbered-keys';
import { isWriteConflict } from './storage-errors';

/** The numbers taken in a family of a partition, read from the row keys alone. */
export async function takenNumbers(table: TableClient, partitionKey: string, prefix: string): Promise<number[]> {
  const { from, to } = numberedKeyRange(prefix);
  const numbers: number[] = [];
  const rows = table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey} and RowKey ge ${from} and RowKey lt ${to}`, select: ['RowKey'] } });
  for await (const row of rows) {
    const n = numberOfKey(prefix, String(row.rowKey));
    if (n !== undefined) numbers.push(n);
  }
  return numbers;
}

/**
 * Inserts a row under the next free number of its family (`build` makes the row's properties and the
 * value to return for a number). Rows are insert-only, so two writers never share a number: the one
 * that loses the race reads the taken numbers again and tries the next. `what` names the family in
 * the error after too many lost races (`a silver version for 'churn'`).
 */
export async function insertNumbered<T>(
  table: TableClient,
  partitionKey: string,
  prefix: string,
  what: string,
  build: (n: number) => { properties: Record<string, unknown>; value: T },
): Promise<T> {
  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
    const n = nextNumber(await takenNumbers(table, partitionKey, prefix));
    const { properties, value } = build(n);
    try {
      await table.createEntity({ ...properties, partitionKey, rowKey: numberedKey(prefix, n) });
      return value;
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
    }
  }
  throw new Error(`could not allocate ${what} after ${MAX_NUMBER_ATTEMPTS} attempts`);
}
