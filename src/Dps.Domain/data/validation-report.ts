import type { OutputColumn } from './accepted-row';
import type { RuleName, TypedValue } from './contract-types';

/** A rule breach about the batch, or a tally of one row rule over the batch. */
export interface ValidationFinding {
  rule: RuleName;
  column?: string;
  message: string;
  /** Rows affected, for tallies of row rules. */
  count?: number;
  firstRow?: number;
}

/** A finding as one line: its rule, the column if any, and the message. */
export function describeFinding(f: ValidationFinding): string {
  return `${f.rule}${f.column !== undefined ? ` (column '${f.column}')` : ''}: ${f.message}`;
}

/** One reason a row was quarantined. */
export interface RowError {
  rule: RuleName;
  column?: string;
  message: string;
}

/** A row that failed row rules, kept as written. */
export interface QuarantinedRow {
  row: number;
  line: number;
  /** The row as written, or with PII values hashed (`piiHashed`), or empty when it was withheld (`textWithheld`), per the contract's `quarantine.rawText`. */
  text: string;
  errors: RowError[];
  piiHashed?: true;
  textWithheld?: true;
}

/** A row that passed: typed values aligned with the batch's output columns. */
export interface AcceptedRow {
  row: number;
  values: TypedValue[];
}

/**
 * A run of consecutive rows dropped as repeats, recorded once however long the run (a batch of one row
 * repeated millions of times is one entry): 'row' = the same content as a row kept before, 'key' = a key
 * kept before with other content. `of` says whether the row kept before is in this batch or an earlier one.
 */
export interface DuplicateRun {
  /** First and last data row of the run (the same number for a single row). */
  rows: [number, number];
  /** Line of the run's first row. */
  line: number;
  kind: 'row' | 'key';
  of: 'batch' | 'earlier';
  /** Key repeats only: the run's first row (its content differs from the row kept), kept as quarantine keeps texts (`piiHashed` when PII values are hashed). */
  text?: string;
  piiHashed?: true;
}

/** How many rows a list of duplicate runs accounts for. */
export function duplicateRows(runs: readonly DuplicateRun[]): number {
  return runs.reduce((n, r) => n + r.rows[1] - r.rows[0] + 1, 0);
}

/** The rows a chunk completed, for the I/O layer to write to silver, quarantine and the duplicates log. */
export interface BatchOutput {
  accepted: AcceptedRow[];
  quarantined: QuarantinedRow[];
  duplicates: DuplicateRun[];
}

/** Row accounting; read = accepted + quarantined + duplicates always holds. */
export interface RowCounts {
  read: number;
  accepted: number;
  quarantined: number;
  duplicates: number;
}

/** The verdict on one batch. */
export interface ValidationReport {
  dataset: string;
  source: string;
  status: 'accepted' | 'rejected';
  rows: RowCounts;
  /** Error-severity findings; any one rejects the batch. */
  errors: ValidationFinding[];
  /** Warn-severity findings and tallies of warn-severity row rules. */
  warnings: ValidationFinding[];
  quarantine: { byRule: ValidationFinding[]; samples: QuarantinedRow[] };
  /** Repeats by kind, and how many of them repeat rows or keys of earlier batches of the dataset. */
  duplicates: { sameRow: number; sameKey: number; ofEarlierBatches: number };
  columns: OutputColumn[];
}

/** The last rows and the report. */
export interface BatchResult extends BatchOutput {
  report: ValidationReport;
}

/** No rows at all: the counts of a batch that was never read. */
export const NO_ROWS: RowCounts = { read: 0, accepted: 0, quarantined: 0, duplicates: 0 };

/** The counts of two batches together. */
export function addRowCounts(a: RowCounts, b: RowCounts): RowCounts {
  return { read: a.read + b.read, accepted: a.accepted + b.accepted, quarantined: a.quarantined + b.quarantined, duplicates: a.duplicates + b.duplicates };
}
