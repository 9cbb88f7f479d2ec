import type { DataContract } from '../../Dps.Domain/data/contract-types';

/** Per column, the cell texts the training contract reads as missing (`NA`, `?`, ...), beyond the empty text. */
export type MissingTokens = Map<string, Set<string>>;

/** The contract's missing-value tokens per column (a column's own list, else the contract's). */
export function missingTokensOf(contract: Pick<DataContract, 'columns' | 'missingValues'> | undefined): MissingTokens {
  const out: MissingTokens = new Map();
  for (const column of contract?.columns ?? []) {
    const tokens = (column.missingValues ?? contract?.missingValues ?? []).filter((t) => t !== '');
    if (tokens.length > 0) out.set(column.name, new Set(tokens));
  }
  return out;
}

/** Rows with missing-value tokens replaced by null, so a scoring row is read as ingest reads it. */
export function blankMissingTokens(tokens: MissingTokens, rows: Record<string, unknown>[]): Record<string, unknown>[] {
  if (tokens.size === 0) return rows;
  return rows.map((row) => {
    let copy: Record<string, unknown> | undefined;
    for (const [name, set] of tokens) {
      const value = row[name];
      if (typeof value === 'string' && set.has(value.trim())) (copy ??= { ...row })[name] = null;
    }
    return copy ?? row;
  });
}
