import path from 'node:path';
import type { ColumnContract, DataContract, TypedValue } from '../../Dps.Domain/data/contract-types';
import type { CsvRecord, RawRecord } from '../../Dps.Domain/data/raw-record';
import { createRecordParser } from '../../Dps.Domain/data/record-parser';
import { compileColumns, checkRow } from '../../Dps.Domain/data/row-validator';
import type { ReferenceColumn } from '../../Dps.Domain/drift/drift-reference';
import type { CliIo } from '../command';
import { readFileChunks } from '../io/record-file-reader';

/** A column left out of the comparison, and why. */
export interface IgnoredColumn {
  name: string;
  why: string;
}

/** A file read for drift: typed columns, what was left out, and how many rows and cells could not be used. */
export interface DriftColumns {
  rows: number;
  columns: ReferenceColumn[];
  ignored: IgnoredColumn[];
  /** Rows whose field count does not match the header (left out entirely). */
  unreadableRows: number;
  /** Cells that are not of their column's type, per column (read as missing). */
  untypedCells: Record<string, number>;
}

/**
 * The contract as drift reads it: only names and types count. Ranges, domains, patterns and null rules
 * are dropped, since a value outside the reference's range is exactly the drift to measure.
 */
function typesOnly(contract: DataContract): DataContract {
  const columns: ColumnContract[] = contract.columns.map((c) => ({ name: c.name, type: c.type, nullable: true, required: false, trim: c.trim, missingValues: c.missingValues, map: c.map, pii: c.pii }));
  return { contractVersion: 1, dataset: contract.dataset, format: contract.format, missingValues: contract.missingValues, columns };
}

/** Why a column is not compared: keys identify rows and PII is not a feature. */
export function ignoredColumns(contract: DataContract): IgnoredColumn[] {
  const key = new Set(contract.primaryKey ?? []);
  const out: IgnoredColumn[] = [];
  for (const c of contract.columns) {
    if (key.has(c.name)) out.push({ name: c.name, why: 'primary key' });
    else if (c.pii) out.push({ name: c.name, why: `PII (${c.pii})` });
  }
  return out;
}

/** Numbers and dates (as epoch milliseconds) are numeric; text, categories and booleans categorical. */
function columnOf(column: ColumnContract, values: TypedValue[]): ReferenceColumn {
  if (column.type === 'integer' || column.type === 'number') return { name: column.name, kind: 'numeric', values: values as Array<number | null> };
  if (column.type === 'date' || column.type === 'timestamp') {
    return { name: column.name, kind: 'numeric', values: values.map((v) => (typeof v === 'string' ? Date.parse(v) : null)) };
  }
  return { name: column.name, kind: 'categorical', values: values.map((v) => (v === null ? null : String(v))) };
}

/**
 * Reads a data file into typed columns, every row kept (duplicates too: a distribution counts repeats,
 * as scipy does). Errors (missing file, bad gzip) are thrown as the reader's one-line errors.
 */
export async function readDriftColumns(file: string, contract: DataContract, io: CliIo): Promise<DriftColumns> {
  const relaxed = typesOnly(contract);
  const plans = compileColumns(relaxed);
  const skip = new Set(ignoredColumns(contract).map((c) => c.name));
  const kept = plans.map((p, i) => ({ plan: p, index: i })).filter(({ plan }) => !skip.has(plan.name));
  const values: TypedValue[][] = kept.map(() => []);
  const untyped = new Array<number>(kept.length).fill(0);
  const parser = createRecordParser(relaxed.format);
  const csvHeader = relaxed.format.type === 'csv' && relaxed.format.header;
  let layout: number[] | undefined;
  let fieldCount = 0;
  let rows = 0;
  let unreadableRows = 0;
  const cells: unknown[] = new Array(plans.length);
  const normalised: Array<string | null> = new Array(plans.length);
  const typed: TypedValue[] = new Array(plans.length);

  const take = (records: RawRecord[]) => {
    for (const record of records) {
      if (csvHeader && layout === undefined) {
        const names = (record as CsvRecord).fields.map((f) => f.trim());
        layout = plans.map((p) => names.indexOf(p.name));
        fieldCount = names.length;
        continue;
      }
      if (record.issue) {
        unreadableRows++;
        continue;
      }
      if (record.kind === 'json') {
        const value = record.value ?? {};
        for (let i = 0; i < plans.length; i++) cells[i] = value[plans[i].name];
      } else {
        if (layout && record.fields.length !== fieldCount) {
          unreadableRows++;
          continue;
        }
        for (let i = 0; i < plans.length; i++) cells[i] = layout ? (layout[i] < 0 ? undefined : record.fields[layout[i]]) : record.fields[i];
      }
      rows++;
      checkRow(plans, cells, normalised, typed);
      for (let k = 0; k < kept.length; k++) {
        const i = kept[k].index;
        values[k].push(typed[i]);
        if (typed[i] === null && normalised[i] !== null) untyped[k]++;
      }
    }
  };
  for await (const chunk of readFileChunks(path.resolve(io.cwd, file), file)) take(parser.push(chunk));
  take(parser.end());
  const untypedCells: Record<string, number> = {};
  kept.forEach(({ plan }, k) => {
    if (untyped[k] > 0) untypedCells[plan.name] = untyped[k];
  });
  return { rows, columns: kept.map(({ plan }, k) => columnOf(plan.column, values[k])), ignored: ignoredColumns(contract), unreadableRows, untypedCells };
}
