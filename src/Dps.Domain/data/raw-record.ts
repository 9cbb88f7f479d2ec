/** Why a record could not be read as a row; the validator quarantines it under this rule. */
export interface RecordIssue {
  rule: 'encoding' | 'quote' | 'row-size' | 'json';
  message: string;
}

interface RecordBase {
  /** Data rows count from 1; a CSV header line, when the format has one, is row 0. */
  row: number;
  /** 1-based physical line where the record starts (the header, if any, is line 1). */
  line: number;
  /** The record as it was written, without its line break (cut short for oversized rows). */
  text: string;
  issue?: RecordIssue;
}

/** One CSV record: its fields as text, quotes removed. */
export interface CsvRecord extends RecordBase {
  kind: 'csv';
  fields: string[];
}

/** One JSON Lines record: the parsed object (undefined when the line is not a JSON object). */
export interface JsonRecord extends RecordBase {
  kind: 'json';
  value: Record<string, unknown> | undefined;
}

export type RawRecord = CsvRecord | JsonRecord;

/** A push parser: feed byte chunks in order, then call end once; each call returns the records completed so far. */
export interface RecordParser {
  push(chunk: Uint8Array): RawRecord[];
  end(): RawRecord[];
}
