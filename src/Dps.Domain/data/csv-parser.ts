import { CsvDelimiter, detectDelimiter } from './delimiter-detection';
import { CsvRecord, RecordIssue, RecordParser } from './raw-record';
import { DEFAULT_MAX_ROW_BYTES, RowBuffer, bomLength, decodeBytes, decodeRow, rowSizeMessage } from './row-bytes';

/** Options of the CSV push parser. */
export interface CsvParserOptions {
  delimiter: CsvDelimiter | 'auto';
  /** Quote character (default `"`); a doubled quote inside a quoted field is one quote (RFC 4180). */
  quote?: string;
  /** Whether the first record is a header (it is then row 0 and data rows count from 1). */
  header: boolean;
  maxRowBytes?: number;
}

/** A CSV push parser; `delimiter` is known once the first bytes were seen (detected when 'auto'). */
export interface CsvParser extends RecordParser {
  readonly delimiter: CsvDelimiter | undefined;
  push(chunk: Uint8Array): CsvRecord[];
  end(): CsvRecord[];
}

const LF = 0x0a;
const CR = 0x0d;
// How many bytes 'auto' waits for before detecting (or end of input).
const DETECTION_BYTES = 64 * 1024;

// Row offsets stay below 2^30 (rows are capped far lower), so bit 30 is free to flag escaped fields.
const ESCAPED = 1 << 30;

const FIELD_START = 0;
const UNQUOTED = 1;
const IN_QUOTED = 2;
const QUOTE_IN_QUOTED = 3;

/** Creates a streaming RFC 4180 parser: quoted fields may hold delimiters, quotes and line breaks; CRLF or LF; BOM skipped. */
export function createCsvParser(options: CsvParserOptions): CsvParser {
  return new StreamingCsvParser(options);
}

class StreamingCsvParser implements CsvParser {
  private delim = -1;
  private readonly quote: string;
  private readonly quoteByte: number;
  private readonly maxRowBytes: number;
  private prelude: Uint8Array[] | undefined = [];
  private preludeBytes = 0;
  private readonly row: RowBuffer;
  // Row-relative byte offsets of the fields of the current record.
  // Reused across records (only strings leave a record); bit 30 of an end marks a field with "" escapes.
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private fieldCount = 0;
  private state = FIELD_START;
  private fieldStart = 0;
  private closeQuote = 0;
  private lastCr = -2;
  private escaped = false;
  private malformedField = -1;
  private line = 1;
  private rowLine = 1;
  private quoteLine = 1;
  private records = 0;

  constructor(private readonly options: CsvParserOptions) {
    this.quote = options.quote ?? '"';
    this.quoteByte = this.quote.charCodeAt(0);
    this.maxRowBytes = Math.min(options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES, ESCAPED - 1);
    this.row = new RowBuffer(this.maxRowBytes);
    if (options.delimiter !== 'auto') this.delim = options.delimiter.charCodeAt(0);
  }

  get delimiter(): CsvDelimiter | undefined {
    return this.delim < 0 ? undefined : (String.fromCharCode(this.delim) as CsvDelimiter);
  }

  push(chunk: Uint8Array): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.prelude) {
      // The BOM check and delimiter detection need the first bytes together.
      this.prelude.push(chunk);
      this.preludeBytes += chunk.length;
      if (this.preludeBytes < (this.delim < 0 ? DETECTION_BYTES : 3)) return out;
      this.flushPrelude(out);
    } else {
      this.scan(chunk, out);
    }
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.prelude) this.flushPrelude(out);
    if (this.row.length === 0 && this.fieldCount === 0 && this.state === FIELD_START) return out;
    const length = this.row.length;
    let issue: RecordIssue | undefined;
    if (this.state === IN_QUOTED) {
      this.pushField(this.fieldStart, length, this.escaped);
      issue = { rule: 'quote', message: `unterminated quoted field opened on line ${this.quoteLine} (no closing quote before end of file)` };
    } else if (this.state === QUOTE_IN_QUOTED) {
      this.pushField(this.fieldStart, this.closeQuote, this.escaped);
    } else {
      this.pushField(this.fieldStart, this.lastCr === length - 1 ? length - 1 : length, false);
    }
    this.finishRow(this.lastCr === length - 1 && this.state !== IN_QUOTED ? length - 1 : length, out, issue);
    return out;
  }

  private flushPrelude(out: CsvRecord[]): void {
    const pieces = this.prelude ?? [];
    this.prelude = undefined;
    const all = new Uint8Array(this.preludeBytes);
    let offset = 0;
    for (const piece of pieces) {
      all.set(piece, offset);
      offset += piece.length;
    }
    const body = all.subarray(bomLength(all));
    if (this.delim < 0) this.delim = detectDelimiter(body, this.quote).charCodeAt(0);
    this.scan(body, out);
  }

  private pushField(start: number, end: number, escaped: boolean): void {
    if (this.fieldCount === this.starts.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.fieldCount] = start;
    this.ends[this.fieldCount++] = escaped ? end | ESCAPED : end;
  }

  private scan(chunk: Uint8Array, out: CsvRecord[]): void {
    const d = this.delim;
    const q = this.quoteByte;
    const n = chunk.length;
    let state = this.state;
    let fieldStart = this.fieldStart;
    let closeQuote = this.closeQuote;
    let lastCr = this.lastCr;
    let escaped = this.escaped;
    let rowStart = 0;
    // Row-relative offset of chunk[i] is pre + i.
    let pre = this.row.length;
    for (let i = 0; i < n; i++) {
      const b = chunk[i];
      if (state === IN_QUOTED) {
        if (b === q) {
          state = QUOTE_IN_QUOTED;
          closeQuote = pre + i;
        } else if (b === LF) this.line++;
        continue;
      }
      if (state === QUOTE_IN_QUOTED) {
        if (b === q) {
          state = IN_QUOTED;
          escaped = true;
          continue;
        }
        if (b === CR) {
          lastCr = pre + i;
          continue;
        }
        if (b !== d && b !== LF) {
          // Text after a closing quote: keep reading the field, but the row is malformed.
          if (this.malformedField < 0) this.malformedField = this.fieldCount;
          state = UNQUOTED;
          continue;
        }
        this.pushField(fieldStart, closeQuote, escaped);
      } else if (state === FIELD_START && b === q) {
        state = IN_QUOTED;
        fieldStart = pre + i + 1;
        escaped = false;
        this.quoteLine = this.line;
        continue;
      } else if (b === d || b === LF) {
        this.pushField(fieldStart, b === LF && lastCr === pre + i - 1 ? lastCr : pre + i, false);
      } else {
        if (b === CR) lastCr = pre + i;
        state = UNQUOTED;
        continue;
      }
      // Here b ends a field: a delimiter or the end of the record.
      state = FIELD_START;
      fieldStart = pre + i + 1;
      if (b === LF) {
        this.row.add(chunk.subarray(rowStart, i));
        this.finishRow(lastCr === pre + i - 1 ? pre + i - 1 : pre + i, out, undefined);
        rowStart = i + 1;
        pre = -rowStart;
        fieldStart = 0;
        lastCr = -2;
      }
    }
    this.row.add(chunk.subarray(rowStart, n));
    this.state = state;
    this.fieldStart = fieldStart;
    this.closeQuote = closeQuote;
    this.lastCr = lastCr;
    this.escaped = escaped;
  }

  private finishRow(length: number, out: CsvRecord[], issue: RecordIssue | undefined): void {
    const total = this.row.length;
    const oversized = this.row.isOversized || total > this.maxRowBytes;
    const bytes = this.row.take();
    const line = this.rowLine;
    this.line++;
    this.rowLine = this.line;
    const { starts, ends } = this;
    const count = this.fieldCount;
    const malformedField = this.malformedField;
    this.fieldCount = 0;
    this.malformedField = -1;
    this.lastCr = -2;
    // A blank line is no record.
    if (length === 0 && count === 1 && !issue) return;
    const row = this.options.header ? this.records : this.records + 1;
    this.records++;
    if (oversized) {
      out.push({ kind: 'csv', row, line, text: decodeBytes(bytes.subarray(0, 4096)) + '…', fields: [], issue: { rule: 'row-size', message: rowSizeMessage(total, this.maxRowBytes) } });
      return;
    }
    const rowBytes = bytes.subarray(0, length);
    const { text, valid } = decodeRow(rowBytes);
    const ascii = text.length === length;
    const fields: string[] = new Array(count);
    let badField = -1;
    for (let k = 0; k < count; k++) {
      const end = ends[k] & ~ESCAPED;
      let value = ascii ? text.slice(starts[k], end) : decodeBytes(rowBytes.subarray(starts[k], end));
      if (ends[k] & ESCAPED) value = value.replaceAll(this.quote + this.quote, this.quote);
      if (!valid && badField < 0 && !decodeRow(rowBytes.subarray(starts[k], end)).valid) badField = k;
      fields[k] = value;
    }
    if (!issue && !valid) issue = { rule: 'encoding', message: `field ${badField + 1} is not valid UTF-8` };
    if (!issue && malformedField >= 0) issue = { rule: 'quote', message: `field ${malformedField + 1} has text after its closing quote` };
    out.push(issue ? { kind: 'csv', row, line, text, fields, issue } : { kind: 'csv', row, line, text, fields });
  }
}
