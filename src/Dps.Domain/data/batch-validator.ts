import { Result, ok, err } from '../result';
import { OutputColumn, acceptedValues, hashPii, hashPiiColumns, hashedPositions, outputColumns } from './accepted-row';
import { ColumnContract, DataContract, DatasetRule, RuleName, Severity, TypedValue } from './contract-types';
import { formatCsvRow } from './csv-writer';
import { DedupIndex, DedupState } from './dedup-index';
import { Hash64, hashFields } from './hash64';
import { CsvRecord, RawRecord, RecordParser } from './raw-record';
import { parquetRecords } from './parquet-record';
import { ParquetColumn, checkParquetSchema } from './parquet-schema';
import { createRecordParser } from './record-parser';
import { ColumnPlan, RowBreaches, checkRow, compileColumns } from './row-validator';
import type { BatchOutput, BatchResult, DuplicateRun, QuarantinedRow, RowCounts, RowError, ValidationFinding, ValidationReport } from './validation-report';

/** Most a batch may hold, decompressed: beyond either the batch is rejected and reading stops. */
export interface BatchLimits {
  maxBytes: number;
  maxRows: number;
  /** Where each limit is configured, named in the rejection (e.g. an app setting). */
  names?: { maxBytes: string; maxRows: string };
}

function limitSource(limits: BatchLimits, which: 'maxBytes' | 'maxRows'): string {
  return limits.names ? ` (${limits.names[which]})` : '';
}

/** What the caller hands in for one batch of one dataset. */
export interface BatchValidationOptions {
  contract: DataContract;
  /** Salt for PII hashes (a secret of the deployment). */
  piiSalt: string;
  /** Dedup memory from the dataset's earlier batches; absent for the first batch. */
  dedup?: DedupState;
  /** Keep rows that repeat an earlier row of the batch (a test set: repeats are real traffic and are scored); default false. */
  keepRepeats?: boolean;
  /** Name of the input in messages (file or blob path). */
  source?: string;
  /** How many quarantined rows the report keeps as samples (default 5). */
  sampleSize?: number;
  maxRowBytes?: number;
  /** Size limits of the deployment (none without). */
  limits?: BatchLimits;
}

/** How a replayed record's text was kept: with PII values hashed already (or withheld), and whether it cannot be replayed (quarantined again with this error). */
export interface RecordOptions {
  piiHashed?: boolean;
  refused?: RowError;
}

/** The column rules a record is checked with: the contract's, or (PII-hashed text) those with PII columns unchecked. */
interface RuleSet {
  plans: ColumnPlan[];
  patternColumns: number[];
  hashed: number[];
}

/** A row read in the current run of records: quarantined (errors) or checked but for patterns, before dedup. */
interface Checked {
  record: RawRecord;
  errors: RowError[] | undefined;
  values: TypedValue[];
  warnings: RowError[] | undefined;
}

/** A batch being validated: push byte chunks in order, then end once. */
export interface BatchValidation {
  readonly columns: OutputColumn[];
  push(chunk: Uint8Array): BatchOutput;
  /**
   * Validates one record's text on its own, as the next data row (a CSV header, if any, is pushed first):
   * however broken, it cannot run into the record after it (quarantine replay re-reads rows this way).
   */
  pushRecord(text: string, options?: RecordOptions): BatchOutput;
  /**
   * Starts a Parquet batch: checks the file's schema against the contract before any row is read (it
   * stands in for a CSV header). False when the schema rejects the batch: read no rows then.
   */
  pushParquetSchema(columns: ParquetColumn[]): boolean;
  /** Validates the next row group of a Parquet batch (values by column name); `bytes` is its uncompressed size, counted against the byte limit. */
  pushRows(rows: Array<Record<string, unknown>>, bytes: number): BatchOutput;
  end(): BatchResult;
  /** True once the batch passed a limit: it is rejected, and further chunks are ignored (callers stop reading). */
  readonly overLimit: boolean;
  /**
   * The dedup state to keep for the dataset's next batch (after end). Separate from end() because it
   * is large (16 bytes of base64 per distinct row) and callers that only report do not need it.
   */
  dedupState(): DedupState;
}

const PARSE_SLICE = 64 * 1024;
/** Keys of rows repeating earlier batches named in the report's note. */
const EARLIER_KEY_SAMPLES = 5;
const NO_VALUES: TypedValue[] = [];

const DATASET_DEFAULTS: Record<DatasetRule, Severity> = {
  'missing-column': 'error',
  'extra-column': 'warn',
  'row-count': 'error',
  'key-unique': 'error',
  'quarantine-rate': 'error',
};

/**
 * Starts validating one batch against a contract; fails when the dedup state does not fit the contract.
 * Memory stays flat except for the dedup index (12 bytes per distinct row or key).
 */
export function startBatchValidation(options: BatchValidationOptions): Result<BatchValidation, string> {
  const key = options.contract.primaryKey;
  const index = options.dedup ? DedupIndex.fromState(options.dedup, key) : ok(DedupIndex.empty(key));
  if (!index.ok) return err(index.error);
  return ok(new BatchValidator(options, index.value));
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate < 0.001 && rate > 0 ? 3 : 1)}%`;
}

/** Tallies findings by rule and column, keeping the first row for each. */
class Tally {
  private readonly entries = new Map<string, ValidationFinding>();
  add(rule: RuleName, column: string | undefined, row: number, message: string): void {
    const id = `${rule}\u0000${column ?? ''}`;
    const entry = this.entries.get(id);
    if (entry) entry.count = (entry.count ?? 0) + 1;
    else this.entries.set(id, column === undefined ? { rule, message, count: 1, firstRow: row } : { rule, column, message, count: 1, firstRow: row });
  }
  list(describe: (f: ValidationFinding) => string): ValidationFinding[] {
    return [...this.entries.values()].map((f) => ({ ...f, message: describe(f) }));
  }
}

class BatchValidator implements BatchValidation {
  readonly columns: OutputColumn[];
  private readonly contract: DataContract;
  // The rules in force (swapped while a PII-hashed record is checked, see pushRecord).
  private plans: ColumnPlan[];
  private readonly parser: RecordParser;
  private readonly source: string;
  private readonly csvHeader: boolean;
  // For CSV: contract column -> field index (-1: column absent).
  private layout: number[];
  // True when CSV fields map 1:1 to contract columns, so rows need no reordering.
  private inContractOrder: boolean;
  private expectedFields: number;
  private headerSeen = false;
  private headerBroken: string | undefined;
  private schemaBroken = false;
  private readonly keyColumns: number[];
  // The row hash (over every column, fed while the row is checked) and the key hash.
  private readonly rowHasher = new Hash64();
  private readonly rowHash = new Uint32Array(2);
  private readonly keyHash = new Uint32Array(2);
  // The rows of the current run of records, settled at its end in row order: pattern tests, dedup
  // lookups and PII hashes of many rows together are faster than each between every row's other work.
  private readonly checked: Checked[] = [];
  private checkedHashes = new Uint32Array(4 * 1024);
  // Columns with a pattern, and their normalised texts per checked row.
  private patternColumns: number[];
  private readonly patternTexts: Array<string | null> = [];
  private readonly counts: RowCounts = { read: 0, accepted: 0, quarantined: 0, duplicates: 0 };
  private sameRow = 0;
  private sameKey = 0;
  private ofEarlier = 0;
  private readonly earlierKeys: string[] = [];
  // The open run of consecutive duplicates, emitted when a row breaks it or the batch ends.
  private run: DuplicateRun | undefined;
  private bytes = 0;
  private limitHit: string | undefined;
  private keyConflicts = 0;
  private firstConflictRow = 0;
  private examined = 0;
  private readonly nulls: number[];
  private readonly errors: ValidationFinding[] = [];
  private readonly warnings: ValidationFinding[] = [];
  private readonly rowWarnings = new Tally();
  private readonly quarantineTally = new Tally();
  private readonly samples: QuarantinedRow[] = [];
  // Per-row scratch space, reused: only typed values leave a row.
  private readonly cellBuffer: unknown[];
  private readonly normalisedBuffer: Array<string | null>;
  private readonly anyDropped: boolean;
  // Accepted rows whose PII columns still hold text: hashed together at the end of each run of records.
  private hashed: number[];
  private readonly unhashed: TypedValue[][] = [];
  // Whether logs keep row texts with PII values hashed, the PII columns, and the rules for PII-hashed texts (made on first use).
  private readonly hashLoggedText: boolean;
  private readonly piiColumns: number[];
  private relaxed: RuleSet | undefined;

  constructor(
    private readonly options: BatchValidationOptions,
    private readonly index: DedupIndex,
  ) {
    this.contract = options.contract;
    this.plans = compileColumns(this.contract);
    this.columns = outputColumns(this.contract);
    this.parser = createRecordParser(this.contract.format, options.maxRowBytes);
    this.source = options.source ?? 'input';
    this.csvHeader = this.contract.format.type === 'csv' && this.contract.format.header;
    this.layout = this.plans.map((_, i) => i);
    this.inContractOrder = this.contract.format.type === 'csv';
    this.expectedFields = this.plans.length;
    const names = this.plans.map((p) => p.column.name);
    this.keyColumns = (this.contract.primaryKey ?? []).map((k) => names.indexOf(k));
    this.nulls = this.plans.map(() => 0);
    this.cellBuffer = new Array(this.plans.length);
    this.normalisedBuffer = new Array(this.plans.length);
    this.anyDropped = this.plans.some((p) => p.column.pii === 'drop');
    this.hashed = hashedPositions(this.plans);
    this.patternColumns = this.plans.flatMap((p, i) => (p.pattern ? [i] : []));
    this.piiColumns = this.plans.flatMap((p, i) => (p.pii ? [i] : []));
    this.hashLoggedText = this.piiColumns.length > 0 && (this.contract.quarantine?.rawText ?? 'pii-hashed') === 'pii-hashed';
  }

  get overLimit(): boolean {
    return this.limitHit !== undefined;
  }

  push(chunk: Uint8Array): BatchOutput {
    const out: BatchOutput = { accepted: [], quarantined: [], duplicates: [] };
    if (this.limitHit || !this.countBytes(chunk.length)) return out;
    // Parsing in slices keeps each slice's records short-lived, which spares the garbage collector.
    for (let at = 0; at < chunk.length && !this.limitHit; at += PARSE_SLICE) this.handle(this.parser.push(chunk.subarray(at, at + PARSE_SLICE)), out);
    return out;
  }

  /** Adds to the bytes read; false (and the batch stopped) beyond the byte limit. */
  private countBytes(bytes: number): boolean {
    const limits = this.options.limits;
    this.bytes += bytes;
    if (!limits || this.bytes <= limits.maxBytes) return true;
    this.stop(`${this.source} is larger than ${limits.maxBytes} bytes (decompressed), the most one batch may hold${limitSource(limits, 'maxBytes')}; split it into smaller batches`);
    return false;
  }

  pushParquetSchema(columns: ParquetColumn[]): boolean {
    this.headerSeen = true;
    for (const { severity, finding } of checkParquetSchema(columns, this.contract, this.source, (rule) => this.severity(rule))) this.finding(severity, finding);
    this.schemaBroken = this.errors.length > 0;
    return !this.schemaBroken;
  }

  pushRows(rows: Array<Record<string, unknown>>, bytes: number): BatchOutput {
    const out: BatchOutput = { accepted: [], quarantined: [], duplicates: [] };
    if (this.limitHit || this.schemaBroken || !this.countBytes(bytes)) return out;
    return this.handle(parquetRecords(rows, this.counts.read + 1), out);
  }

  pushRecord(text: string, options: RecordOptions = {}): BatchOutput {
    const out: BatchOutput = { accepted: [], quarantined: [], duplicates: [] };
    if (this.limitHit) return out;
    if (options.refused) {
      // Kept as it was logged: PII-hashed, or withheld (no text).
      const row = ++this.counts.read;
      this.keepQuarantined({ row, line: row, text, errors: [options.refused], ...(options.piiHashed ? { piiHashed: true as const } : { textWithheld: true as const }) }, out);
      return out;
    }
    const format = this.contract.format.type === 'csv' ? { ...this.contract.format, header: false } : this.contract.format;
    const parser = createRecordParser(format, this.options.maxRowBytes);
    const records = [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
    if (records.length === 0) return out;
    const row = this.counts.read + 1;
    const record: RawRecord = records.length === 1
      ? { ...records[0], row, line: row }
      : { kind: 'json', row, line: row, text, value: undefined, issue: { rule: 'quote', message: `the text reads as ${records.length} records on its own` } };
    if (!options.piiHashed) return this.handle([record], out);
    // PII values were hashed when the row was quarantined: they cannot be checked again, nor hashed twice.
    const strict: RuleSet = { plans: this.plans, patternColumns: this.patternColumns, hashed: this.hashed };
    this.use((this.relaxed ??= this.piiUnchecked()));
    try {
      return this.handle([record], out);
    } finally {
      this.use(strict);
    }
  }

  private use(rules: RuleSet): void {
    ({ plans: this.plans, patternColumns: this.patternColumns, hashed: this.hashed } = rules);
  }

  /** The contract's rules with PII columns taken as plain text with no rules (their values are hashes); dropped ones stay dropped. */
  private piiUnchecked(): RuleSet {
    const columns = this.contract.columns.map((c): ColumnContract => (c.pii ? { name: c.name, type: 'string', nullable: true, required: c.required, trim: false, ...(c.missingValues ? { missingValues: c.missingValues } : {}), ...(c.pii === 'drop' ? { pii: 'drop' as const } : {}) } : c));
    const plans = compileColumns({ ...this.contract, columns });
    return { plans, patternColumns: plans.flatMap((p, i) => (p.pattern ? [i] : [])), hashed: [] };
  }

  /** Rejects the batch for a limit and stops reading it. */
  private stop(message: string): void {
    this.limitHit = message;
    this.finding('error', { rule: 'batch-limit', message });
  }

  end(): BatchResult {
    const output: BatchOutput = { accepted: [], quarantined: [], duplicates: [] };
    if (!this.limitHit) this.handle(this.parser.end(), output);
    if (this.run) output.duplicates.push(this.run);
    this.run = undefined;
    this.datasetRules();
    return { ...output, report: this.report() };
  }

  dedupState(): DedupState {
    return this.index.toState();
  }

  private severity(rule: DatasetRule): Severity {
    return this.contract.severity?.[rule] ?? DATASET_DEFAULTS[rule];
  }

  private finding(severity: Severity, finding: ValidationFinding): void {
    (severity === 'error' ? this.errors : this.warnings).push(finding);
  }

  private handle(records: RawRecord[], out: BatchOutput): BatchOutput {
    const limits = this.options.limits;
    const maxRows = limits?.maxRows ?? Infinity;
    for (const record of records) {
      if (this.csvHeader && !this.headerSeen) this.readHeader(record as CsvRecord);
      else if (this.counts.read < maxRows) this.handleRow(record);
      else {
        this.stop(`${this.source} has more than ${maxRows} rows, the most one batch may hold${limitSource(limits!, 'maxRows')}; split it into smaller batches`);
        break;
      }
    }
    this.settle(out);
    if (this.unhashed.length > 0) {
      hashPiiColumns(this.unhashed, this.hashed, this.options.piiSalt);
      this.unhashed.length = 0;
    }
    return out;
  }

  private readHeader(record: CsvRecord): void {
    this.headerSeen = true;
    if (record.issue) {
      this.headerBroken = `the header (line ${record.line}) cannot be read: ${record.issue.message}`;
      this.finding('error', { rule: 'header', message: `${this.source}: ${this.headerBroken}` });
      return;
    }
    const names = record.fields.map((f) => f.trim());
    const seen = new Map<string, number[]>();
    names.forEach((name, i) => seen.set(name, [...(seen.get(name) ?? []), i + 1]));
    for (const [name, positions] of seen) {
      if (positions.length > 1) {
        this.finding('error', { rule: 'duplicate-column', column: name, message: `column '${name}' appears ${positions.length} times in the header of ${this.source} (fields ${positions.join(', ')})` });
      }
    }
    this.layout = this.plans.map((plan) => names.indexOf(plan.column.name));
    this.inContractOrder = names.length === this.plans.length && this.layout.every((ix, i) => ix === i);
    this.plans.forEach((plan, i) => {
      if (this.layout[i] >= 0) return;
      const required = plan.column.required;
      this.finding(required ? this.severity('missing-column') : 'warn', {
        rule: 'missing-column',
        column: plan.column.name,
        message: `column '${plan.column.name}' is ${required ? 'required but ' : ''}missing from the header of ${this.source}${required ? '' : ' (its values are read as missing)'}`,
      });
    });
    const declared = new Set(this.plans.map((p) => p.column.name));
    const extra = names.filter((n) => !declared.has(n));
    if (extra.length > 0) {
      this.finding(this.severity('extra-column'), {
        rule: 'extra-column',
        column: extra[0],
        message: `${extra.length} column(s) of ${this.source} are not in the contract and are dropped: ${extra.map((n) => `'${n}'`).join(', ')}`,
      });
    }
    this.expectedFields = names.length;
  }

  /** Adds a row to the current run; returns where its hashes go in checkedHashes. */
  private pend(entry: Checked): number {
    const at = 4 * this.checked.length;
    if (at === this.checkedHashes.length) {
      const larger = new Uint32Array(2 * at);
      larger.set(this.checkedHashes);
      this.checkedHashes = larger;
    }
    this.checked.push(entry);
    return at;
  }

  /** Quarantines a row when the run settles (rows keep their order). */
  private reject(record: RawRecord, errors: RowError[]): void {
    this.pend({ record, errors, values: NO_VALUES, warnings: undefined });
  }

  private quarantine(record: RawRecord, errors: RowError[], out: BatchOutput): void {
    this.keepQuarantined({ row: record.row, line: record.line, ...this.loggedText(record), errors: this.hashLoggedText ? errors.map((e) => this.withoutPiiValue(e)) : errors }, out);
  }

  private keepQuarantined(row: QuarantinedRow, out: BatchOutput): void {
    const { errors } = row;
    this.counts.quarantined++;
    for (const e of errors) this.quarantineTally.add(e.rule, e.column, row.row, e.message);
    if (this.samples.length < (this.options.sampleSize ?? 5)) this.samples.push(row);
    out.quarantined.push(row);
  }

  /** The record's cells in contract column order (a reused buffer unless fields already are in that order), or why it has none. */
  private cells(record: RawRecord): unknown[] | RowError {
    const cells = this.cellBuffer;
    if (record.kind === 'json') {
      const value = record.value ?? {};
      for (let i = 0; i < this.plans.length; i++) cells[i] = value[this.plans[i].name];
      return cells;
    }
    const fields = record.fields;
    if (fields.length !== this.expectedFields) {
      return { rule: 'field-count', message: `has ${fields.length} field(s), expected ${this.expectedFields}` };
    }
    if (this.inContractOrder) return fields;
    const layout = this.layout;
    for (let i = 0; i < layout.length; i++) cells[i] = layout[i] < 0 ? undefined : fields[layout[i]];
    return cells;
  }

  private handleRow(record: RawRecord): void {
    this.counts.read++;
    if (record.issue) return this.reject(record, [{ rule: record.issue.rule, message: record.issue.message }]);
    if (this.headerBroken) return this.reject(record, [{ rule: 'header', message: this.headerBroken }]);
    const cells = this.cells(record);
    if (!Array.isArray(cells)) return this.reject(record, [cells]);
    const normalised = this.normalisedBuffer;
    const typed: TypedValue[] = new Array(this.plans.length);
    const patterns = this.patternColumns;
    this.rowHasher.reset();
    let found = checkRow(this.plans, cells, normalised, typed, this.rowHasher, patterns.length === 0);
    this.examined++;
    const nulls = this.nulls;
    for (let i = 0; i < nulls.length; i++) if (normalised[i] === null) nulls[i]++;
    // A row already broken gets its pattern breaches now, so its errors keep their order.
    if (found.errors && patterns.length > 0) found = this.recheck(record);
    if (found.errors) return this.reject(record, found.errors);
    // The row and key hashes now (normalised is reused), dedup and acceptance in settle().
    const at = this.pend({ record, errors: undefined, values: acceptedValues(this.plans, typed, normalised, this.options.piiSalt, this.anyDropped, this.hashed.length > 0), warnings: found.warnings });
    const hashes = this.checkedHashes;
    this.rowHasher.finish(this.rowHash);
    hashes[at] = this.rowHash[0];
    hashes[at + 1] = this.rowHash[1];
    if (this.index.mode === 'key') {
      hashFields(normalised, this.keyColumns, this.keyHash);
      hashes[at + 2] = this.keyHash[0];
      hashes[at + 3] = this.keyHash[1];
    }
    for (const c of patterns) this.patternTexts.push(normalised[c]);
  }

  /** Every breach of a row, patterns included, in rule order (the rare path: a row that broke something). */
  private recheck(record: RawRecord): RowBreaches {
    const cells = this.cells(record) as unknown[];
    return checkRow(this.plans, cells, new Array(this.plans.length), new Array(this.plans.length));
  }

  /** Tests the patterns of the run's checked rows, then quarantines, dedups and accepts its rows in row order. */
  private settle(out: BatchOutput): void {
    const patterns = this.patternColumns;
    const texts = this.patternTexts;
    let t = 0;
    if (patterns.length > 0) {
      for (const entry of this.checked) {
        if (entry.errors) continue;
        let broken = false;
        for (const c of patterns) {
          const text = texts[t++];
          if (text !== null && !this.plans[c].pattern!.matches(text)) broken = true;
        }
        if (!broken) continue;
        // checkRow decides whether the pattern applied (not for a value of the wrong type) and the breaches' order.
        const found = this.recheck(entry.record);
        entry.errors = found.errors;
        entry.warnings = found.warnings;
      }
      texts.length = 0;
    }
    const hashes = this.checkedHashes;
    for (let k = 0; k < this.checked.length; k++) {
      const { record, errors, values, warnings } = this.checked[k];
      if (errors) {
        this.quarantine(record, errors, out);
        continue;
      }
      const repeat = this.options.keepRepeats ? undefined : this.dedup(hashes, 4 * k, record.row);
      if (repeat) {
        this.counts.duplicates++;
        this.addDuplicate(record, repeat.kind, repeat.earlier, out);
        continue;
      }
      if (warnings) for (const w of warnings) this.rowWarnings.add(w.rule, w.column, record.row, w.message);
      this.counts.accepted++;
      if (this.hashed.length > 0) this.unhashed.push(values);
      out.accepted.push({ row: record.row, values });
    }
    this.checked.length = 0;
  }

  /** Extends the open run of duplicates with this row, or closes it and opens another. */
  private addDuplicate(record: RawRecord, kind: 'row' | 'key', earlier: boolean, out: BatchOutput): void {
    const of = earlier ? 'earlier' : 'batch';
    const run = this.run;
    if (run && run.kind === kind && run.of === of && run.rows[1] === record.row - 1) {
      run.rows[1] = record.row;
      return;
    }
    if (run) out.duplicates.push(run);
    // A key repeat's text shows what differs (kept as quarantine keeps texts; none when it had to be withheld).
    const logged = kind === 'key' ? this.loggedText(record) : undefined;
    const text = logged && !logged.textWithheld ? { text: logged.text, ...(logged.piiHashed ? { piiHashed: true as const } : {}) } : {};
    this.run = { rows: [record.row, record.row], line: record.line, kind, of, ...text };
    if (earlier && this.earlierKeys.length < EARLIER_KEY_SAMPLES && this.keyColumns.length > 0) this.earlierKeys.push(this.keyText(record));
  }

  /**
   * A row's text as the logs keep it: as written, or with its PII values hashed as in silver (from their
   * normalised text; missing values stay as written), or withheld when the row cannot be split into
   * columns. A text that is PII-hashed already (a replayed row) is kept as it is.
   */
  private loggedText(record: RawRecord): Pick<QuarantinedRow, 'text' | 'piiHashed' | 'textWithheld'> {
    if (!this.hashLoggedText) return { text: record.text };
    if (this.relaxed && this.plans === this.relaxed.plans) return { text: record.text, piiHashed: true };
    const cells = record.issue ? undefined : this.cells(record);
    if (!Array.isArray(cells)) return { text: '', textWithheld: true };
    const normalised = new Array<string | null>(this.plans.length);
    checkRow(this.plans, cells, normalised, new Array(this.plans.length));
    const salt = this.options.piiSalt;
    if (record.kind === 'json') {
      const value: Record<string, unknown> = { ...(record.value ?? {}) };
      for (const c of this.piiColumns) if (normalised[c] !== null) value[this.plans[c].name] = hashPii(salt, normalised[c] as string);
      return { text: JSON.stringify(value), piiHashed: true };
    }
    const fields = [...record.fields];
    for (const c of this.piiColumns) {
      const at = this.inContractOrder ? c : this.layout[c];
      if (at >= 0 && normalised[c] !== null) fields[at] = hashPii(salt, normalised[c] as string);
    }
    const format = this.contract.format;
    return { text: formatCsvRow(fields, format.type === 'csv' && format.delimiter !== 'auto' ? format.delimiter : ','), piiHashed: true };
  }

  /** A breach of a PII column without the value its message quotes. */
  private withoutPiiValue(error: RowError): RowError {
    const pii = error.column !== undefined && this.piiColumns.some((c) => this.plans[c].name === error.column);
    return pii ? { ...error, message: `breaks the ${error.rule} rule (the value is not shown: column '${error.column}' is PII)` } : error;
  }

  /** The key of a row as `col=value` pairs (the rare path: a few rows repeating earlier batches). */
  private keyText(record: RawRecord): string {
    const cells = this.cells(record) as unknown[];
    const normalised = new Array<string | null>(this.plans.length);
    checkRow(this.plans, cells, normalised, new Array(this.plans.length));
    return this.keyColumns.map((c) => `${this.plans[c].name}=${normalised[c] ?? 'null'}`).join(', ');
  }

  /** Undefined for a new row, else the kind of repeat and whether it repeats an earlier batch; `hashes[at..at+3]` are the row hash and key hash (high, low). */
  private dedup(hashes: Uint32Array, at: number, row: number): { kind: 'row' | 'key'; earlier: boolean } | undefined {
    const verdict = this.index.mode === 'row' ? this.index.checkRow(hashes[at], hashes[at + 1]) : this.index.checkKey(hashes[at + 2], hashes[at + 3], hashes[at + 1]);
    if (verdict === 'new') return undefined;
    const earlier = verdict === 'row-seen-before' || verdict === 'key-seen-before';
    if (earlier) this.ofEarlier++;
    if (verdict === 'duplicate-row' || verdict === 'row-seen-before') {
      this.sameRow++;
      return { kind: 'row', earlier };
    }
    if (verdict === 'key-conflict-in-batch' && this.keyConflicts++ === 0) this.firstConflictRow = row;
    this.sameKey++;
    return { kind: 'key', earlier };
  }

  private datasetRules(): void {
    const { read, quarantined } = this.counts;
    if (this.csvHeader && !this.headerSeen) {
      this.finding('error', { rule: 'header', message: `${this.source} is empty: no header line and no rows` });
    }
    const bounds = this.contract.rowCount;
    if (bounds?.min !== undefined && read < bounds.min) {
      this.finding(this.severity('row-count'), { rule: 'row-count', message: `${this.source} has ${read} data row(s), the contract requires at least ${bounds.min}` });
    } else if (bounds?.max !== undefined && read > bounds.max) {
      this.finding(this.severity('row-count'), { rule: 'row-count', message: `${this.source} has ${read} data rows, the contract allows at most ${bounds.max}` });
    } else if (read === 0 && (!this.csvHeader || this.headerSeen)) {
      this.finding('warn', { rule: 'row-count', message: `${this.source} has no data rows` });
    }
    this.plans.forEach((plan, i) => {
      const mostly = plan.column.mostly;
      if (mostly === undefined || this.examined === 0) return;
      const present = 1 - this.nulls[i] / this.examined;
      if (present >= mostly) return;
      this.finding(plan.severity['null-rate'], {
        rule: 'null-rate',
        column: plan.column.name,
        message: `column '${plan.column.name}' is missing in ${percent(1 - present)} of rows, the contract allows ${percent(1 - mostly)} (mostly ${mostly})`,
      });
    });
    if (this.keyConflicts > 0) {
      const key = (this.contract.primaryKey ?? []).join(', ');
      this.finding(this.severity('key-unique'), {
        rule: 'key-unique',
        column: key,
        count: this.keyConflicts,
        firstRow: this.firstConflictRow,
        message: `key (${key}) is not unique: ${this.keyConflicts} row(s) repeat a key with different values, first at row ${this.firstConflictRow}`,
      });
    }
    if (this.ofEarlier > 0) {
      const key = this.keyColumns.length > 0 ? `key (${(this.contract.primaryKey ?? []).join(', ')})` : 'content (the contract has no primary key, so whole rows are compared)';
      const keys = this.earlierKeys.length > 0 ? `, e.g. ${this.earlierKeys.map((k) => `[${k}]`).join(' ')}` : '';
      this.finding('warn', {
        rule: 'duplicates',
        count: this.ofEarlier,
        message: `${this.ofEarlier} row(s) repeat the ${key} of rows of earlier batches of '${this.contract.dataset}'${keys} and were dropped as duplicates: rows already kept are never replaced; to start over, reset the dataset (DELETE /api/datasets/${this.contract.dataset}?confirm=${this.contract.dataset})`,
      });
    }
    const limit = this.contract.maxQuarantineRate;
    if (limit !== undefined && read > 0 && quarantined / read > limit) {
      const top = this.quarantineTally.list((f) => f.message).sort((a, b) => (b.count ?? 0) - (a.count ?? 0))[0];
      const cause = top ? `; most common: ${top.rule}${top.column ? ` in column '${top.column}'` : ''} (${top.count} rows)` : '';
      this.finding(this.severity('quarantine-rate'), {
        rule: 'quarantine-rate',
        ...(top?.column ? { column: top.column } : {}),
        message: `${percent(quarantined / read)} of rows were quarantined (${quarantined} of ${read}), the contract allows ${percent(limit)}${cause}`,
      });
    }
  }

  private report(): ValidationReport {
    const rowTally = (f: ValidationFinding) => `${f.count} row(s) broke ${f.rule}${f.column ? ` in column '${f.column}'` : ''}, first at row ${f.firstRow}: ${f.message}`;
    return {
      dataset: this.contract.dataset,
      source: this.source,
      status: this.errors.length > 0 ? 'rejected' : 'accepted',
      rows: { ...this.counts },
      errors: [...this.errors],
      warnings: [...this.warnings, ...this.rowWarnings.list(rowTally)],
      quarantine: { byRule: this.quarantineTally.list(rowTally), samples: [...this.samples] },
      duplicates: { sameRow: this.sameRow, sameKey: this.sameKey, ofEarlierBatches: this.ofEarlier },
      columns: this.columns,
    };
  }
}
