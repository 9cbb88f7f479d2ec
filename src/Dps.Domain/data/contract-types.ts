/** The value types a contract column can declare. */
export const COLUMN_TYPES = ['integer', 'number', 'string', 'category', 'boolean', 'date', 'timestamp'] as const;
export type ColumnType = (typeof COLUMN_TYPES)[number];

/** How a rule breach counts: `error` quarantines the row (or rejects the batch), `warn` only counts a warning. */
export type Severity = 'error' | 'warn';

/** Row rules a column can break; each has a severity that the column may override. */
export const COLUMN_RULES = ['type', 'null', 'range', 'domain', 'pattern', 'null-rate'] as const;
export type ColumnRule = (typeof COLUMN_RULES)[number];

/** Dataset rules whose severity the contract may override. */
export const DATASET_RULES = ['missing-column', 'extra-column', 'row-count', 'key-unique', 'quarantine-rate'] as const;
export type DatasetRule = (typeof DATASET_RULES)[number];

/**
 * Rules about the shape of a row; always errors because the row cannot be read. `replay`: a quarantined
 * row whose text was kept PII-hashed cannot be checked again (see QuarantineOptions).
 */
export type StructuralRule = 'field-count' | 'encoding' | 'quote' | 'row-size' | 'json' | 'header' | 'replay';

/**
 * Every rule name a finding can carry; `batch-limit` rejects a batch over the deployment's size limits,
 * `duplicates` notes rows dropped as repeats of earlier batches.
 */
export type RuleName = ColumnRule | DatasetRule | StructuralRule | 'duplicate-column' | 'batch-limit' | 'duplicates';

/** CSV layout; `delimiter: 'auto'` picks among `,` `;` tab `|` from the first bytes. */
export interface CsvFormat {
  type: 'csv';
  delimiter: ',' | ';' | '\t' | '|' | 'auto';
  /** true: the first line names the columns (matched by name); false: fields follow `columns` in order. */
  header: boolean;
  quote: string;
  encoding: 'utf-8';
}

/** One JSON object per line; keys are column names. */
export interface JsonLinesFormat {
  type: 'jsonl';
  encoding: 'utf-8';
}

export type DataFormat = CsvFormat | JsonLinesFormat;

/** A typed cell value as accepted rows carry it (dates and timestamps as ISO strings). */
export type TypedValue = string | number | boolean | null;

/** One declared column. Optional fields are absent, never undefined-with-meaning. */
export interface ColumnContract {
  name: string;
  type: ColumnType;
  /** Whether a missing value is allowed (default true). */
  nullable: boolean;
  /** Whether a header without this column rejects the batch (default true). */
  required: boolean;
  /** Cell texts that mean "missing" (after trim); default: the contract's `missingValues`. */
  missingValues?: string[];
  /** Inclusive bounds: numbers for integer/number, ISO strings for date/timestamp. */
  min?: number | string;
  max?: number | string;
  /** Allowed values (the categorical domain); compared after normalisation. */
  values?: Array<string | number | boolean>;
  /** Regular expression the normalised text must match (whole value). */
  pattern?: string;
  /** PII handling in accepted rows: salted sha256 or removed. */
  pii?: 'hash' | 'drop';
  /** Trim surrounding whitespace before anything else (default false). */
  trim: boolean;
  /** Value rewrites applied after trim, before typing, e.g. `{">50K.": ">50K"}`. */
  map?: Record<string, string>;
  /** Minimum share of non-missing values in a batch (a dataset rule `null-rate`). */
  mostly?: number;
  /** Per-rule severity overrides for this column. */
  severity?: Partial<Record<ColumnRule, Severity>>;
  description?: string;
}

/** What the model is trained to predict. */
export interface LabelContract {
  column: string;
  task: 'binary' | 'multiclass' | 'regression';
  /** For binary tasks: the value that counts as the positive class. */
  positiveClass?: string | number | boolean;
}

/**
 * What the quarantine and duplicate logs keep of a row's text. `pii-hashed` (the default): PII columns'
 * values replaced by their salted hash, as in silver (a row that cannot be split into columns keeps no
 * text), and error messages about PII columns do not quote the value; `keep`: the text as it arrived.
 * Without PII columns both keep the text as it arrived.
 */
export interface QuarantineOptions {
  rawText: 'keep' | 'pii-hashed';
}

/** A versioned data contract: what a dataset's batches must look like. */
export interface DataContract {
  contractVersion: 1;
  dataset: string;
  description?: string;
  format: DataFormat;
  /** Default missing-value tokens for every column (default `[""]`). */
  missingValues: string[];
  columns: ColumnContract[];
  /** Columns that identify a row; compound keys allowed. */
  primaryKey?: string[];
  label?: LabelContract;
  rowCount?: { min?: number; max?: number };
  /** Largest share of quarantined rows a batch may have before it is rejected; absent: no limit. */
  maxQuarantineRate?: number;
  /** Severity overrides for dataset rules. */
  severity?: Partial<Record<DatasetRule, Severity>>;
  /** What quarantine and duplicate logs keep of row texts (default `{rawText: 'pii-hashed'}`). */
  quarantine?: QuarantineOptions;
}
