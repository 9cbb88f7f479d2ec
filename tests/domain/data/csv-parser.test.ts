import { describe, expect, it } from 'vitest';
import { createCsvParser, CsvParserOptions } from '../../../src/Dps.Domain/data/csv-parser';
import { CsvRecord } from '../../../src/Dps.Domain/data/raw-record';

const encode = (s: string) => new TextEncoder().encode(s);

/** Feeds bytes in chunks of `size` and collects every record. */
function parse(input: Uint8Array | string, options: Partial<CsvParserOptions> = {}, size = 7): { records: CsvRecord[]; delimiter?: string } {
  const bytes = typeof input === 'string' ? encode(input) : input;
  const parser = createCsvParser({ delimiter: ',', header: true, ...options });
  const records: CsvRecord[] = [];
  for (let i = 0; i < bytes.length; i += size) records.push(...parser.push(bytes.subarray(i, i + size)));
  records.push(...parser.end());
  return { records, delimiter: parser.delimiter };
}

describe('csv parser', () => {
  it('numbers the header row 0 and data rows from 1, with physical line numbers', () => {
    const { records } = parse('a,b\n1,2\n"x\ny",3\n4,5\n');
    expect(records.map((r) => [r.row, r.line])).toEqual([[0, 1], [1, 2], [2, 3], [3, 5]]);
    expect(records[2].fields).toEqual(['x\ny', '3']);
    expect(records[2].text).toBe('"x\ny",3');
  });

  it('gives the same records whatever the chunk size', () => {
    const text = '\ufeffid,note\r\n1,"a, ""quoted"" word"\r\n2,"line1\r\nline2"\r\n3,plain\r\n';
    const reference = parse(text, {}, 1_000_000).records;
    for (const size of [1, 2, 3, 5, 13]) expect(parse(text, {}, size).records).toEqual(reference);
    expect(reference.map((r) => r.fields)).toEqual([
      ['id', 'note'],
      ['1', 'a, "quoted" word'],
      ['2', 'line1\r\nline2'],
      ['3', 'plain'],
    ]);
  });

  it('strips a BOM and CRLF line ends', () => {
    const { records } = parse('\ufeffa,b\r\n1,\r\n');
    expect(records[0].fields).toEqual(['a', 'b']);
    expect(records[1].fields).toEqual(['1', '']);
    expect(records[1].text).toBe('1,');
  });

  it('numbers data rows from 1 when there is no header', () => {
    const { records } = parse('1,2\n3,4', { header: false });
    expect(records.map((r) => r.row)).toEqual([1, 2]);
    expect(records[1].fields).toEqual(['3', '4']);
  });

  it('skips blank lines but counts them in line numbers', () => {
    const { records } = parse('a\n\n1\n\n\n2\n');
    expect(records.map((r) => [r.row, r.line, r.fields[0]])).toEqual([[0, 1, 'a'], [1, 3, '1'], [2, 6, '2']]);
  });

  it.each([
    [',', 'a,b,c\n1,2,3\n4,5,6\n'],
    [';', 'a;b;c\n1,5;2;3\n4;5;6\n'],
    ['\t', 'a\tb\n"x,y"\t2\n3\t4\n'],
    ['|', 'a|b|c\n1|2|3\n'],
  ])('detects the delimiter %j', (delimiter, text) => {
    const { records, delimiter: detected } = parse(text, { delimiter: 'auto' });
    expect(detected).toBe(delimiter);
    expect(records[1].fields.length).toBe(records[0].fields.length);
  });

  it('reports an unterminated quote at end of file as a row issue', () => {
    const { records } = parse('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(records).toHaveLength(3);
    expect(records[2].issue).toEqual({ rule: 'quote', message: expect.stringContaining('line 3') });
    expect(records[2].row).toBe(2);
  });

  it('flags text after a closing quote', () => {
    const { records } = parse('a,b\n"x"y,2\n');
    expect(records[1].issue?.rule).toBe('quote');
  });

  it('keeps a quote inside an unquoted field literally', () => {
    const { records } = parse('a,b\n5\'10",2\n');
    expect(records[1].fields).toEqual(['5\'10"', '2']);
    expect(records[1].issue).toBeUndefined();
  });

  it('flags invalid UTF-8 per row and names the field', () => {
    const head = encode('a,b\n1,ok\n2,');
    const bytes = new Uint8Array([...head, 0xff, 0xfe, 0x0a, ...encode('3,é\n')]);
    const { records } = parse(bytes);
    expect(records[1].issue).toBeUndefined();
    expect(records[2].issue).toEqual({ rule: 'encoding', message: 'field 2 is not valid UTF-8' });
    expect(records[3].fields).toEqual(['3', 'é']);
  });

  it('decodes multi-byte characters split across chunks', () => {
    const { records } = parse('名前,値\n"日本,語",ü\n', {}, 1);
    expect(records[1].fields).toEqual(['日本,語', 'ü']);
  });

  it('reads a 5 MB field in small chunks', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const { records } = parse(`a,b\n1,"${big}"\n2,y\n`, {}, 64 * 1024);
    expect(records[1].fields[1].length).toBe(big.length);
    expect(records[2].fields).toEqual(['2', 'y']);
  });

  it('quarantines a record beyond maxRowBytes without buffering it', () => {
    const { records } = parse(`a,b\n1,"${'z'.repeat(10_000)}\n2,3\n`, { maxRowBytes: 1000 }, 100);
    expect(records).toHaveLength(2);
    expect(records[1].issue?.rule).toBe('row-size');
    expect(records[1].text.length).toBeLessThan(5000);
  });

  it('leaves ragged rows to the validator', () => {
    const { records } = parse('a,b\n1\n1,2,3\n');
    expect(records.map((r) => r.fields.length)).toEqual([2, 1, 3]);
  });
});
