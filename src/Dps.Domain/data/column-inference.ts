import type { ColumnContract, ColumnType } from './contract-types';
import { parseBoolean, parseDate, parseInteger, parseNumber, parseTimestamp } from './value-parsing';

/** Texts that commonly mean "missing" in exported data. */
export const MISSING_TOKENS = ['', 'NA', 'N/A', 'n/a', 'NaN', 'nan', 'null', 'NULL', 'None', '?', '-'];

/** Most distinct values a text column may have to be inferred as a category. */
export const MAX_CATEGORIES = 50;

/** Longest value of an inferred category: longer texts are free text (and would bloat the contract). */
const MAX_CATEGORY_CHARS = 200;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PII_NAME = /e-?mail|phone|ssn|passport/i;

/** What inference learned about one column, beyond its contract. */
export interface InferredColumn {
  column: ColumnContract;
  /** Missing tokens this column used. */
  missingTokens: string[];
  /** Non-missing in every sampled row and all values distinct. */
  unique: boolean;
  /** Values that are not of the column's (majority) type: rows with them will be quarantined. First few shown. */
  outliers?: { count: number; present: number; rows: number[]; values: string[] };
}

/** Outliers listed per column in notes. */
const OUTLIERS_SHOWN = 5;

// Boolean inference leaves 0/1 to integer: a 0/1 column is as often a count as a flag.
const isBooleanWord = (v: string) => parseBoolean(v) !== undefined && v !== '0' && v !== '1';

const TYPE_CHECKS: Array<[ColumnType, (v: string) => boolean]> = [
  ['integer', (v) => parseInteger(v) !== undefined],
  ['number', (v) => parseNumber(v) !== undefined],
  ['boolean', isBooleanWord],
  ['date', (v) => parseDate(v) !== undefined],
  ['timestamp', (v) => parseTimestamp(v) !== undefined],
];

/**
 * The narrowest type all but `tolerated` values parse as, trying the most specific types first (string
 * if none), with the positions of the values that do not.
 */
function typeWithOutliers(values: string[], tolerated: number): { type: ColumnType; outliers: number[] } {
  if (values.length === 0) return { type: 'string', outliers: [] };
  for (const [type, accepts] of TYPE_CHECKS) {
    const outliers: number[] = [];
    for (let i = 0; i < values.length && outliers.length <= tolerated; i++) if (!accepts(values[i])) outliers.push(i);
    if (outliers.length <= tolerated) return { type, outliers };
  }
  return { type: 'string', outliers: [] };
}

/** The narrowest type every value parses as, trying the most specific types first (string if none). */
export function narrowestType(values: string[]): ColumnType {
  return typeWithOutliers(values, 0).type;
}

/**
 * The type of most values: a few bad values (1% of them, with at least 20 values to judge by) do not
 * turn a column of numbers or dates into text; they become outliers, whose rows will be quarantined.
 */
export function majorityType(values: string[]): { type: ColumnType; outliers: number[] } {
  return typeWithOutliers(values, values.length >= 20 ? Math.max(1, Math.floor(values.length / 100)) : 0);
}

/**
 * Infers one column's contract from sampled cells (null: the cell was absent) of the given data rows.
 * `declared` is the type the input's own schema gives (Parquet): it is taken as is, text may still become a category.
 */
export function inferColumn(name: string, cells: Array<string | null>, rows: number[] = cells.map((_, i) => i + 1), declared?: ColumnType): InferredColumn {
  const trim = cells.some((c) => c !== null && c !== c.trim());
  const all: string[] = [];
  const allRows: number[] = [];
  const tokens = new Set<string>();
  let missing = 0;
  cells.forEach((cell, i) => {
    const text = cell === null ? null : trim ? cell.trim() : cell;
    if (text === null || MISSING_TOKENS.includes(text)) {
      missing++;
      if (text !== null) tokens.add(text);
    } else {
      all.push(text);
      allRows.push(rows[i]);
    }
  });
  const majority = declared !== undefined ? { type: declared, outliers: [] as number[] } : majorityType(all);
  const outlierAt = new Set(majority.outliers);
  const present = outlierAt.size === 0 ? all : all.filter((_, i) => !outlierAt.has(i));
  const distinct = new Set(present);
  let type = majority.type;
  const looksLikeEmail = present.length > 0 && present.filter((v) => EMAIL.test(v)).length >= 0.9 * present.length;
  const pii = type === 'string' && (looksLikeEmail || PII_NAME.test(name));
  const shortValues = [...distinct].every((v) => v.length <= MAX_CATEGORY_CHARS);
  if (type === 'string' && !pii && shortValues && distinct.size > 0 && distinct.size <= MAX_CATEGORIES && present.length >= 2 * distinct.size) type = 'category';
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
  const inferred: InferredColumn = { column, missingTokens: [...tokens], unique: missing === 0 && outlierAt.size === 0 && cells.length >= 2 && distinct.size === present.length };
  if (outlierAt.size > 0) {
    const shown = majority.outliers.slice(0, OUTLIERS_SHOWN);
    inferred.outliers = { count: outlierAt.size, present: all.length, rows: shown.map((i) => allRows[i]), values: shown.map((i) => all[i]) };
  }
  return inferred;
}
