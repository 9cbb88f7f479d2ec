import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cliWorkspace, jsonReport } from './data-harness';

const ws = cliWorkspace();

const CONTRACT = {
  contractVersion: 1,
  dataset: 'people',
  missingValues: ['', 'NA'],
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'age', type: 'integer', min: 0, max: 120 },
    { name: 'city', type: 'string' },
  ],
  primaryKey: ['id'],
};
ws.write('people.contract.json', JSON.stringify(CONTRACT));

const good = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `${from + i},${20 + (i % 50)},city${i % 7}`);
const csv = (...lines: string[]) => lines.join('\n') + '\n';
const validate = (file: string, ...extra: string[]) => ws.run('validate', '--data', file, ...extra);
const withContract = (file: string, ...extra: string[]) => validate(file, '--contract', 'people.contract.json', ...extra);

describe('dps validate: the bad-input corpus', () => {
  it('empty file: rejected, no header', async () => {
    ws.write('empty.csv', '');
    const r = await withContract('empty.csv', '--json');
    expect(r.code).toBe(2);
    expect(jsonReport(r).rows).toEqual({ read: 0, accepted: 0, quarantined: 0, duplicates: 0 });
    expect(r.stderr).toBe('dps validate: rejected: header: empty.csv is empty: no header line and no rows\n');
    const inferred = await validate('empty.csv', '--json');
    expect(inferred).toMatchObject({ code: 2, stderr: r.stderr });
    expect(jsonReport(inferred).status).toBe('rejected');
  });

  it('header only: rejected by the inferred row-count bound', async () => {
    ws.write('header-only.csv', 'id,age,city\r\n');
    const r = await validate('header-only.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('dps validate: rejected: row-count: header-only.csv has 0 data row(s), the contract requires at least 1\n');
    const lenient = await withContract('header-only.csv');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('warning: header-only.csv has no data rows');
  });

  it('binary bytes: rejected, the header cannot be read', async () => {
    const bytes = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
    ws.write('binary.bin', bytes);
    const r = await validate('binary.bin');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dps validate: rejected: header: binary\.bin: the header \(line 1\) cannot be read: field \d+ is not valid UTF-8\n$/);
    // No contract can be inferred, yet --json still reports every row.
    const json = await validate('binary.bin', '--json');
    const report = jsonReport(json);
    expect(report.contract).toMatch(/^none: it cannot be inferred \(header: line 1 cannot be read/);
    expect(report.rows.read).toBe(report.rows.quarantined);
    const withC = await withContract('binary.bin', '--json');
    expect(withC.code).toBe(2);
    expect(jsonReport(withC).errors[0].rule).toBe('header');
  });

  it('ragged rows: quarantined with field-count; rejected when over the quarantine rate', async () => {
    ws.write('ragged.csv', csv('id,age,city', ...good(3), '9,10', '10,11,x,extra'));
    const r = await withContract('ragged.csv', '--json');
    expect(r.code).toBe(0);
    const report = jsonReport(r);
    expect(report.rows).toEqual({ read: 5, accepted: 3, quarantined: 2, duplicates: 0 });
    expect(report.quarantine.samples.map((s: { row: number; text: string; errors: Array<{ rule: string }> }) => [s.row, s.text, s.errors[0].rule])).toEqual([
      [4, '9,10', 'field-count'],
      [5, '10,11,x,extra', 'field-count'],
    ]);
    const inferred = await validate('ragged.csv');
    expect(inferred.code).toBe(2);
    expect(inferred.stderr).toMatch(/^dps validate: rejected: quarantine-rate: 40\.0% of rows were quarantined \(2 of 5\), the contract allows 5\.0%; most common: field-count \(2 rows\)\n$/);
  });

  it('unterminated quote: the last row is quarantined, earlier rows are kept', async () => {
    ws.write('quote.csv', csv('id,age,city', ...good(2), '3,30,"Lon', 'don'));
    const report = jsonReport(await withContract('quote.csv', '--json'));
    expect(report.rows).toEqual({ read: 3, accepted: 2, quarantined: 1, duplicates: 0 });
    expect(report.quarantine.samples[0]).toMatchObject({ row: 3, line: 4, text: '3,30,"Lon\ndon\n', errors: [{ rule: 'quote' }] });
  });

  it('wrong types: quarantined naming column and rule; the batch stays valid', async () => {
    ws.write('types.csv', csv('id,age,city', ...good(5), '6,old,Paris', 'x,200,Rome'));
    const r = await withContract('types.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`quarantined: 1 row(s) broke type in column 'age', first at row 6: "old" is not an integer`);
    expect(r.stdout).toContain(`quarantined: 1 row(s) broke range in column 'age', first at row 7: 200 is above max 120`);
    expect(r.stdout).toContain('rows: 7 read, 5 accepted, 2 quarantined, 0 duplicates');
  });

  it('duplicate rows: counted as duplicates, the batch is valid', async () => {
    ws.write('dups.csv', csv('id,age,city', ...good(4), ...good(2)));
    const report = jsonReport(await withContract('dups.csv', '--json'));
    expect(report.rows).toEqual({ read: 6, accepted: 4, quarantined: 0, duplicates: 2 });
    expect(report.duplicates).toEqual({ sameRow: 2, sameKey: 0, ofEarlierBatches: 0 });
  });

  it('a missing column: rejected naming the column', async () => {
    ws.write('missing-col.csv', csv('id,city', '1,Paris'));
    const r = await withContract('missing-col.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dps validate: rejected: missing-column (column 'age'): column 'age' is required but missing from the header of missing-col.csv\n");
  });

  it('duplicate header names: rejected naming the column, with or without a contract', async () => {
    ws.write('dup-header.csv', csv('id,age,age,city', '1,2,3,x'));
    const r = await withContract('dup-header.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("dps validate: rejected: duplicate-column (column 'age'): column 'age' appears 2 times in the header of dup-header.csv (fields 2, 3)\n");
    const inferred = await validate('dup-header.csv', '--json');
    expect(inferred).toMatchObject({ code: 2, stderr: r.stderr });
    expect(jsonReport(inferred).rows.read).toBe(1);
  });

  it('non-UTF-8 bytes: that row is quarantined under encoding', async () => {
    const head = new TextEncoder().encode(csv('id,age,city', ...good(3)));
    const latin1 = new Uint8Array([...new TextEncoder().encode('4,40,Z'), 0xfc, 0x72, 0x69, 0x63, 0x68, 0x0a]);
    ws.write('latin1.csv', new Uint8Array([...head, ...latin1]));
    const report = jsonReport(await withContract('latin1.csv', '--json'));
    expect(report.rows).toEqual({ read: 4, accepted: 3, quarantined: 1, duplicates: 0 });
    expect(report.quarantine.samples[0]).toMatchObject({ row: 4, errors: [{ rule: 'encoding', message: 'field 3 is not valid UTF-8' }] });
  });

  it('a 5 MB field is read whole', async () => {
    ws.write('big.csv', csv('id,age,city', `1,30,"${'x'.repeat(5 * 1024 * 1024)}"`, ...good(2, 2)));
    const report = jsonReport(await withContract('big.csv', '--json'));
    expect(report.rows).toEqual({ read: 3, accepted: 3, quarantined: 0, duplicates: 0 });
  });

  it('BOM with CRLF: read as plain CSV', async () => {
    ws.write('bom.csv', '\ufeff' + ['id,age,city', ...good(3)].join('\r\n') + '\r\n');
    const r = await withContract('bom.csv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('rows: 3 read, 3 accepted, 0 quarantined, 0 duplicates');
  });

  it('gzip: detected by magic bytes, same outcome as plain', async () => {
    ws.write('data.csv.gz', gzipSync(csv('id,age,city', ...good(50), '51,x,y')));
    const report = jsonReport(await withContract('data.csv.gz', '--json'));
    expect(report.rows).toEqual({ read: 51, accepted: 50, quarantined: 1, duplicates: 0 });
    expect((await validate('data.csv.gz')).code).toBe(0);
  });

  it('corrupt gzip and missing files are unreadable input (exit 1)', async () => {
    ws.write('bad.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8]));
    const bad = await withContract('bad.gz');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^dps validate: error: 'bad\.gz' is not valid gzip data .*\n$/);
    const missing = await withContract('none.csv');
    expect(missing).toMatchObject({ code: 1, stderr: "dps validate: error: cannot read 'none.csv': no such file\n" });
  });
});

describe('dps validate: contracts and reports', () => {
  it('names the JSON path of a bad contract (exit 1)', async () => {
    ws.write('bad.contract.json', JSON.stringify({ ...CONTRACT, columns: [{ name: 'id', type: 'int' }] }));
    ws.write('ok.csv', csv('id,age,city', ...good(2)));
    const r = await validate('ok.csv', '--contract', 'bad.contract.json');
    expect(r).toEqual({ code: 1, stdout: '', stderr: "dps validate: contract 'bad.contract.json' is not valid: $.columns[0].type: must be one of integer, number, string, category, boolean, date, timestamp (and 1 more)\n" });
  });

  it('prints the JSON report shape for an accepted file', async () => {
    ws.write('fine.csv', csv('id,age,city', ...good(10)));
    const r = await withContract('fine.csv', '--json');
    expect(r.code).toBe(0);
    expect(Object.keys(jsonReport(r))).toEqual(['file', 'contract', 'status', 'rows', 'errors', 'warnings', 'quarantine', 'duplicates']);
  });

  it('validates a generated 20k-row sample without a contract', async () => {
    await ws.run('sample', '--rows', '20000', '--out', 'gen.csv');
    const report = jsonReport(await validate('gen.csv', '--json'));
    expect(report.status).toBe('accepted');
    expect(report.rows.accepted).toBe(20000);
  });
});
