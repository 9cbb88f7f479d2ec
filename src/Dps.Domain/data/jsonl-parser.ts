import { JsonRecord, RecordParser } from './raw-record';
import { DEFAULT_MAX_ROW_BYTES, RowBuffer, bomLength, decodeBytes, decodeRow, rowSizeMessage } from './row-bytes';

/** A JSON Lines push parser. */
export interface JsonLinesParser extends RecordParser {
  push(chunk: Uint8Array): JsonRecord[];
  end(): JsonRecord[];
}

const LF = 0x0a;
const CR = 0x0d;

/** Creates a streaming JSON Lines parser: one object per line, CRLF or LF, blank lines skipped, BOM skipped. */
export function createJsonLinesParser(options: { maxRowBytes?: number } = {}): JsonLinesParser {
  const maxRowBytes = options.maxRowBytes ?? DEFAULT_MAX_ROW_BYTES;
  const row = new RowBuffer(maxRowBytes);
  let line = 0;
  let records = 0;
  let first = true;

  const finishLine = (out: JsonRecord[]): void => {
    line++;
    const total = row.length;
    const oversized = row.isOversized || total > maxRowBytes;
    const bytes = row.take();
    if (oversized) {
      records++;
      const text = decodeBytes(bytes.subarray(0, 4096)) + '…';
      out.push({ kind: 'json', row: records, line, text, value: undefined, issue: { rule: 'row-size', message: rowSizeMessage(total, maxRowBytes) } });
      return;
    }
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    const { text, valid } = decodeRow(bytes.subarray(0, length));
    if (text.trim() === '') return;
    records++;
    if (!valid) {
      out.push({ kind: 'json', row: records, line, text, value: undefined, issue: { rule: 'encoding', message: 'line is not valid UTF-8' } });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      out.push({ kind: 'json', row: records, line, text, value: undefined, issue: { rule: 'json', message: `not valid JSON (${(e as Error).message})` } });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      out.push({ kind: 'json', row: records, line, text, value: undefined, issue: { rule: 'json', message: 'line is not a JSON object' } });
      return;
    }
    out.push({ kind: 'json', row: records, line, text, value: value as Record<string, unknown> });
  };

  return {
    push(chunk) {
      const out: JsonRecord[] = [];
      let start = 0;
      if (first && chunk.length > 0) {
        // A BOM split across the first chunks is not worth buffering for: JSON Lines writers emit none in practice.
        start = bomLength(chunk);
        first = false;
      }
      for (let lf = chunk.indexOf(LF, start); lf >= 0; lf = chunk.indexOf(LF, start)) {
        row.add(chunk.subarray(start, lf));
        finishLine(out);
        start = lf + 1;
      }
      row.add(chunk.subarray(start));
      return out;
    },
    end() {
      const out: JsonRecord[] = [];
      if (row.length > 0) finishLine(out);
      return out;
    },
  };
}
