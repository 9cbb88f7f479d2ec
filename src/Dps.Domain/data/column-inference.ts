import type { ColumnContract, ColumnType } from './contract-types';
import { parseBoolean, parseDate, parseInteger, parseNumber, parseTimestamp } from './value-parsing';

/** Texts that commonly mean "missing" in exported data. */
export const MISSING_TOKENS = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '-'];

/** Most distinct values a text column may have to be inferred as a category. */
export const MAX_CATEGORIES = 50;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PII_NAME = /e-?mail|phone|ssn|passport/i;

/** What inference learned about one column, beyond its contract. */
export interface InferredColumn {
  column: ColumnContract;
  /** Missing tokens this column used. */
  missingTokens: string[];
  /** Non-missing in every sampled row and all values distinct. */
  unique: boolean;
}

// Boolean inference leaves 0/1 to integer: a 0/1 column is as often a count as a flag.
const isBooleanWord = (v: string) => parseBoolean(v) !== undefined && v !== '0' && v !== '1';

/** The narrowest type every value parses as, trying the most specific types first (string if none). */
export function narrowestType(values: string[]): ColumnType {
  if (values.length === 0) return 'string';
  const checks: Array<[ColumnType, (v: string) => boolean]> = [
    ['integer', (v) => parseInteger(v) !== undefined],
    ['number', (v) => parseNumber(v) !== undefined],
    ['boolean', isBooleanWord],
    ['date', (v) => parseDate(v) !== undefined],
    ['timestamp', (v) => parseTimestamp(v) !== undefined],
  ];
  for (const [type, accepts] of checks) if (values.every(accepts)) return type;
  return 'string';
}

/** Infers one column's contract from sampled cells (null: the cell was absent). */
export function inferColumn(name: string, cells: Array<string | null>): InferredColumn {
  const trim = cells.some((c) => c !== null && c !== c.trim());
  const present: string[] = [];
  const tokens = new Set<string>();
  let missing = 0;
  for (const cell of cells) {
    const text = cell === null ? null : trim ? cell.trim() : cell;
    if (text === null || MISSING_TOKENS.includes(text)) {
      missing++;
      if (text !== null) tokens.add(text);
    } else present.push(text);
  }
  const distinct = new Set(present);
  let type = narrowestType(present);
  const looksLikeEmail = present.length > 0 && present.filter((v) => EMAIL.test(v)).length >= 0.9 * present.length;
  const pii = type === 'string' && (looksLikeEmail || PII_NAME.test(name));
  if (type === 'string' && !pii && distinct.size > 0 && distinct.size <= MAX_CATEGORIES && present.length >= 2 * distinct.size) type = 'category';
  const column: ColumnContract = { name, type, nullable: missing > 0, required: true, trim };
  if (type === 'integer' || type === 'number' || type === 'date' || type === 'timestamp') {
    const parse = type === 'integer' ? parseInteger : type === 'number' ? parseNumber : type === 'date' ? parseDate : parseTimestamp;
    const parsed = present.map((v) => parse(v) as number | string);
    column.min = parsed.reduce((a, b) => (b < a ? b : a));
    column.max = parsed.reduce((a, b) => (b > a ? b : a));
    // Bounds seen in a sample describe it; later data outside them is a warning, not a broken row.
    column.severity = { range: 'warn' };
  }
  if (type === 'category') {
    column.values = [...distinct].sort();
    // Like the bounds, a sample's values describe it: a file in time order (a campaign that reaches new
    // months late in the file) shows values after the sample. Those are warnings, not broken rows.
    column.severity = { domain: 'warn' };
  }
  if (pii) column.pii = 'hash';
  if (missing > 0) {
    // Tolerate a few points more missing values than the sample showed.
    column.mostly = Math.max(0, Math.floor((1 - missing / cells.length - 0.05) * 100) / 100);
  }
  return { column, missingTokens: [...tokens], unique: missing === 0 && cells.length >= 2 && distinct.size === present.length };
}
