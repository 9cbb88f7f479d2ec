import { describe, expect, it } from 'vitest';
import { detectCompression } from '../../../src/Dps.Domain/data/compression';
import { detectFormat } from '../../../src/Dps.Domain/data/format-detection';
import { createJsonLinesParser } from '../../../src/Dps.Domain/data/jsonl-parser';
import { JsonRecord } from '../../../src/Dps.Domain/data/raw-record';

function parse(text: string | Uint8Array, size = 3, maxRowBytes?: number): JsonRecord[] {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const parser = createJsonLinesParser({ maxRowBytes });
  const out: JsonRecord[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...parser.push(bytes.subarray(i, i + size)));
  return [...out, ...parser.end()];
}

describe('JSON Lines parser', () => {
  it('reads objects across chunks, CRLF, blank lines and a BOM', () => {
    const records = parse('\ufeff{"a":1}\r\n\r\n{"a":"é"}\n{"a":null}');
    expect(records.map((r) => [r.row, r.line, r.value])).toEqual([[1, 1, { a: 1 }], [2, 3, { a: 'é' }], [3, 4, { a: null }]]);
  });

  it('reports bad JSON, non-objects, invalid UTF-8 and oversized lines per row', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"a":\n[1]\n{"a":"'), 0xff, ...new TextEncoder().encode('"}\n{"a":"' + 'x'.repeat(200) + '"}\n{"ok":1}\n')]);
    const records = parse(bytes, 7, 100);
    expect(records.map((r) => r.issue?.rule)).toEqual(['json', 'json', 'encoding', 'row-size', undefined]);
    expect(records[1].issue?.message).toBe('line is not a JSON object');
    expect(records[4].value).toEqual({ ok: 1 });
  });
});

describe('format and compression detection', () => {
  it('detects gzip and zip by magic bytes', () => {
    expect(detectCompression(new Uint8Array([0x1f, 0x8b, 8]))).toBe('gzip');
    expect(detectCompression(new Uint8Array([0x50, 0x4b, 3, 4]))).toBe('zip');
    expect(detectCompression(new TextEncoder().encode('a,b'))).toBe('none');
    expect(detectCompression(new Uint8Array([0x1f]))).toBe('none');
  });

  it('tells JSON Lines from CSV', () => {
    expect(detectFormat(new TextEncoder().encode('\ufeff \n{"a":1}'))).toBe('jsonl');
    expect(detectFormat(new TextEncoder().encode('a,b\n'))).toBe('csv');
  });
});
