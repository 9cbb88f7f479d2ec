import { createHash } from 'node:crypto';
import type { ColumnType, DataContract, TypedValue } from './contract-types';
import type { ColumnPlan } from './row-validator';

/** A column of accepted (silver) rows: PII-dropped columns are gone, hashed ones are hex strings. */
export interface OutputColumn {
  name: string;
  type: ColumnType;
  pii?: 'hash';
}

/** The columns accepted rows carry, in contract order. */
export function outputColumns(contract: DataContract): OutputColumn[] {
  return contract.columns
    .filter((c) => c.pii !== 'drop')
    .map((c) => (c.pii === 'hash' ? { name: c.name, type: 'string', pii: 'hash' } : { name: c.name, type: c.type }));
}

/** Salted sha256 of a PII value, hex; the salt keeps hashes from being looked up in precomputed tables. */
export function hashPii(salt: string, text: string): string {
  return createHash('sha256').update(salt).update('\u0000').update(text).digest('hex');
}

/** Applies PII rules to a checked row: hashes from the normalised text, drops 'drop' columns. */
export function acceptedValues(plans: ColumnPlan[], typed: TypedValue[], normalised: Array<string | null>, salt: string): TypedValue[] {
  const out: TypedValue[] = [];
  for (let i = 0; i < plans.length; i++) {
    const pii = plans[i].column.pii;
    if (pii === 'drop') continue;
    const text = normalised[i];
    out.push(pii === 'hash' && text !== null ? hashPii(salt, text) : typed[i]);
  }
  return out;
}
