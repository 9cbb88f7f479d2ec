import type { JsonRecord } from './raw-record';

/** JSON text of a row; INT64 values a reader left as BigInt (in nested columns) are written as numbers' text. */
function rowText(value: Record<string, unknown>): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

/**
 * A Parquet row as the validator reads records: its values by column name, like a JSON Lines object.
 * Its text (JSON) is made only when a quarantine entry or duplicate run needs it, which most rows never do.
 */
class ParquetRowRecord implements JsonRecord {
  readonly kind = 'json' as const;
  constructor(
    readonly row: number,
    readonly value: Record<string, unknown>,
  ) {}

  /** Parquet has no lines: the row number stands in. */
  get line(): number {
    return this.row;
  }

  get text(): string {
    return rowText(this.value);
  }
}

/** Parquet rows as records numbered from `firstRow` (1-based row index in the file). */
export function parquetRecords(rows: Array<Record<string, unknown>>, firstRow: number): JsonRecord[] {
  return rows.map((value, i) => new ParquetRowRecord(firstRow + i, value));
}
