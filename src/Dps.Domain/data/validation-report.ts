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
  text: string;
  errors: RowError[];
}

/** A row that passed: typed values aligned with the batch's output columns. */
export interface AcceptedRow {
  row: number;
  values: TypedValue[];
}

/** A row dropped as a repeat: 'row' = same content as an earlier row, 'key' = same key, other content. */
export interface DuplicateRow {
  row: number;
  line: number;
  kind: 'row' | 'key';
  text: string;
}

/** The rows a chunk completed, for the I/O layer to write to silver, quarantine and the duplicates log. */
export interface BatchOutput {
  accepted: AcceptedRow[];
  quarantined: QuarantinedRow[];
  duplicates: DuplicateRow[];
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
  duplicates: { sameRow: number; sameKey: number };
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
