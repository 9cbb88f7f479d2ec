import { Result, ok, err } from '../result';
import { InferredColumn, inferColumn, narrowestType } from './column-inference';
import { parseContract } from './contract-schema';
import type { ColumnType, DataContract, DataFormat } from './contract-types';
import type { CsvDelimiter } from './delimiter-detection';
import { inferLabel, untrainableLabel } from './label-inference';
import type { RawRecord } from './raw-record';
import { parseTyped } from './value-parsing';

/** What the caller knows beyond the sample. */
export interface InferenceOptions {
  dataset: string;
  /** Column names for a CSV without a header line (the first line is then data). */
  columns?: string[];
  /** Column to declare as the label. */
  label?: string;
}

/** The first records of an input: CSV parsed without a header (row 1 may be the header), or JSON Lines. */
export interface InferenceSample {
  records: RawRecord[];
  /** The delimiter the CSV parser detected. */
  delimiter?: CsvDelimiter;
  /** Records read to draw the sample (all of the input), when more than the sample. */
  recordsRead?: number;
  /** Column types the input declares (a Parquet schema), by name; they are taken over as they are. */
  declaredTypes?: Record<string, ColumnType>;
}

/** An inferred contract with what a person should review. */
export interface InferredContract {
  contract: DataContract;
  /** Columns unique and non-missing in the sample; the first with an id-like name became the primary key. */
  keyCandidates: string[];
  notes: string[];
  /** Why no model can be trained on the label as the sample shows it (one line), when that is so. */
  labelProblem?: string;
}

const KEY_NAME = /^(id|key|uuid|guid)$|[_-](id|key)$|[a-z]Id$/i;

/**
 * Votes per column on whether the first record names the columns: a value that fails the type of the
 * values below it votes yes, one that parses votes no, a text value also found below votes no.
 * A first record holding a number is data.
 */
export function looksLikeHeader(first: string[], rest: string[][]): boolean {
  let score = 0;
  first.forEach((name, j) => {
    const below = rest.map((r) => r[j]?.trim() ?? '').filter((v) => v !== '');
    const type = narrowestType(below);
    if (type !== 'string') score += parseTyped(type, name.trim()) === undefined ? 1 : -1;
    else if (below.includes(name.trim())) score -= 1;
  });
  // A number is never a column name; short names like 'y' or 'n' read as booleans and still qualify.
  return score >= 0 && first.every((name) => !['integer', 'number'].includes(narrowestType([name.trim()])) || name.trim() === '');
}

/** The sampled table: column names, rows of cells, and each row's data row number in the input. */
interface SampleTable {
  names: string[];
  rows: Array<Array<string | null>>;
  rowNumbers: number[];
}

function csvColumns(sample: InferenceSample, options: InferenceOptions): Result<SampleTable & { header: boolean }, string> {
  const readable = sample.records.filter((r) => r.kind === 'csv' && !r.issue) as Array<RawRecord & { kind: 'csv' }>;
  const first = sample.records[0];
  if (!first) return err('header: the input is empty (no header line and no rows)');
  if (first.issue && !options.columns) return err(`header: line ${first.line} cannot be read: ${first.issue.message}`);
  const widths = new Map<number, number>();
  for (const r of readable) widths.set(r.fields.length, (widths.get(r.fields.length) ?? 0) + 1);
  const width = [...widths.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 0;
  let names: string[];
  let header: boolean;
  let data = readable;
  if (options.columns) {
    if (options.columns.length !== width) return err(`columns: ${options.columns.length} names given but the rows have ${width} fields`);
    names = options.columns;
    header = false;
  } else {
    const fields = (first as RawRecord & { kind: 'csv' }).fields;
    header = looksLikeHeader(fields, readable.slice(1, 200).map((r) => r.fields));
    names = header ? fields.map((f, i) => f.trim() || `column_${i + 1}`) : fields.map((_, i) => `column_${i + 1}`);
    if (header) data = readable.slice(1);
  }
  const repeated = names.find((n, i) => names.indexOf(n) !== i);
  if (repeated !== undefined) return err(`duplicate-column: column '${repeated}' appears more than once in the header`);
  const kept = data.filter((r) => r.fields.length === names.length);
  // Parsed without a header, the header line is record 1: data rows count from the next.
  return ok({ names, header, rows: kept.map((r) => r.fields), rowNumbers: kept.map((r) => (header ? r.row - 1 : r.row)) });
}

function jsonColumns(sample: InferenceSample): SampleTable {
  const records = sample.records.flatMap((r) => (r.kind === 'json' && r.value ? [{ row: r.row, value: r.value }] : []));
  const names = [...new Set(records.flatMap((r) => Object.keys(r.value)))];
  const text = (v: unknown): string | null =>
    v === undefined || v === null ? null : typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return { names, rows: records.map((r) => names.map((n) => text(r.value[n]))), rowNumbers: records.map((r) => r.row) };
}

/** The review note for a column typed by most of its values: which values do not fit, so which rows will be quarantined. */
function outlierNote(c: InferredColumn): string {
  const o = c.outliers!;
  const shown = o.rows.map((row, i) => `row ${row}: ${JSON.stringify(o.values[i])}`).join(', ');
  return `column '${c.column.name}' is ${c.column.type} in ${o.present - o.count} of ${o.present} sampled values; ${o.count} value(s) are not and their rows will be quarantined (${shown}${o.count > o.rows.length ? ', ...' : ''})`;
}

/** Infers a contract from a sample: delimiter, header, types, missing tokens, domains, ranges, keys, PII and label. */
export function inferContract(sample: InferenceSample, options: InferenceOptions): Result<InferredContract, string> {
  const isJson = sample.records[0]?.kind === 'json';
  let format: DataFormat;
  let table: SampleTable;
  if (isJson) {
    table = jsonColumns(sample);
    format = { type: 'jsonl', encoding: 'utf-8' };
  } else {
    const csv = csvColumns(sample, options);
    if (!csv.ok) return csv;
    table = csv.value;
    format = { type: 'csv', delimiter: sample.delimiter ?? ',', header: csv.value.header, quote: '"', encoding: 'utf-8' };
  }
  if (table.names.length === 0) return err('header: no columns found in the input');
  const read = sample.recordsRead;
  const notes = [read !== undefined && read > sample.records.length ? `inferred from ${table.rows.length} row(s) sampled uniformly from all ${read} records read` : `inferred from ${table.rows.length} sampled row(s)`];
  const declared = sample.declaredTypes;
  const inferred: InferredColumn[] = table.names.map((name, j) => inferColumn(name, table.rows.map((r) => r[j]), table.rowNumbers, declared && Object.hasOwn(declared, name) ? declared[name] : undefined));
  const labelIndex = options.label === undefined ? -1 : table.names.indexOf(options.label);
  if (options.label !== undefined && labelIndex < 0) return err(`label: no column '${options.label}' (columns: ${table.names.join(', ')})`);
  const columns = inferred.map((c) => c.column);
  const keyCandidates = inferred.filter((c, j) => c.unique && j !== labelIndex && (c.column.type === 'integer' || c.column.type === 'string')).map((c) => c.column.name);
  const key = keyCandidates.find((name) => KEY_NAME.test(name));
  const missingValues = [...new Set(['', ...inferred.flatMap((c) => c.missingTokens)])];
  const doc: DataContract = { contractVersion: 1, dataset: options.dataset, format, missingValues, columns, rowCount: { min: 1 }, maxQuarantineRate: 0.05 };
  if (key) {
    doc.primaryKey = [key];
    notes.push(`primary key: ${key}`);
  }
  if (keyCandidates.length > 0) notes.push(`key candidates (unique in the sample): ${keyCandidates.join(', ')}`);
  for (const c of columns.filter((c) => c.pii)) notes.push(`column '${c.name}' looks like personal data: pii "hash"`);
  for (const c of inferred.filter((c) => c.outliers)) notes.push(outlierNote(c));
  let labelProblem: string | undefined;
  if (labelIndex >= 0) {
    const column = columns[labelIndex];
    const values = table.rows.map((r) => r[labelIndex]).flatMap((v) => (v === null ? [] : [column.trim ? v.trim() : v])).filter((v) => !missingValues.includes(v));
    if (column.type === 'string') {
      // A label is a set of classes even when the sample is too small to show repetition.
      column.type = 'category';
      column.values = [...new Set(values)].sort();
    }
    // A label outside the classes the model is built for is a broken row, not a new category.
    if (column.severity?.domain) delete column.severity.domain;
    if (column.severity && Object.keys(column.severity).length === 0) delete column.severity;
    delete column.pii;
    doc.label = inferLabel(column, values);
    labelProblem = untrainableLabel(column.name, column.type === 'integer' || column.type === 'number', [...new Set(values)]);
  }
  const checked = parseContract(JSON.parse(JSON.stringify(doc)));
  if (!checked.ok) return err(`the inferred contract is not valid: ${checked.error[0]}`);
  return ok({ contract: checked.value, keyCandidates, notes, ...(labelProblem !== undefined ? { labelProblem } : {}) });
}
