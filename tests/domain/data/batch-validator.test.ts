import { describe, expect, it } from 'vitest';
import { BatchValidationOptions, startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { BatchResult, duplicateRows } from '../../../src/Dps.Domain/data/validation-report';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';
import { DataContract } from '../../../src/Dps.Domain/data/contract-types';
import { DedupState } from '../../../src/Dps.Domain/data/dedup-index';
import { hashPii } from '../../../src/Dps.Domain/data/accepted-row';

function contract(overrides: Record<string, unknown> = {}): DataContract {
  const result = parseContract({
    contractVersion: 1,
    dataset: 'people',
    missingValues: ['', 'NA'],
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'age', type: 'integer', min: 0, max: 120 },
      { name: 'plan', type: 'category', values: ['basic', 'premium'], trim: true, map: { 'premium.': 'premium' } },
      { name: 'active', type: 'boolean' },
      { name: 'joined', type: 'date' },
      { name: 'email', type: 'string', pii: 'hash', pattern: '[^@]+@[^@]+' },
    ],
    primaryKey: ['id'],
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error.join('\n'));
  return result.value;
}

function validate(text: string, options: Partial<BatchValidationOptions> = {}, chunk = 5): BatchResult & { all: BatchResult; dedup: DedupState } {
  const started = startBatchValidation({ contract: contract(), piiSalt: 'salt', source: 'people.csv', ...options });
  if (!started.ok) throw new Error(started.error);
  const bytes = new TextEncoder().encode(text);
  const acc: BatchResult = { accepted: [], quarantined: [], duplicates: [] } as unknown as BatchResult;
  for (let i = 0; i < bytes.length; i += chunk) {
    const out = started.value.push(bytes.subarray(i, i + chunk));
    acc.accepted.push(...out.accepted);
    acc.quarantined.push(...out.quarantined);
    acc.duplicates.push(...out.duplicates);
  }
  const last = started.value.end();
  acc.accepted.push(...last.accepted);
  acc.quarantined.push(...last.quarantined);
  acc.duplicates.push(...last.duplicates);
  const { rows } = last.report;
  expect(rows.read).toBe(rows.accepted + rows.quarantined + rows.duplicates);
  expect([acc.accepted.length, acc.quarantined.length, duplicateRows(acc.duplicates)]).toEqual([rows.accepted, rows.quarantined, rows.duplicates]);
  return { ...last, all: acc, dedup: started.value.dedupState() };
}

const HEADER = 'id,age,plan,active,joined,email\n';

describe('batch validation', () => {
  it('types, normalises and masks accepted rows', () => {
    const r = validate(HEADER + '1,34, premium. ,yes,2024-02-29,a@x.org\n2,NA,basic,0,,b@x.org\n');
    expect(r.report.status).toBe('accepted');
    expect(r.all.accepted).toEqual([
      { row: 1, values: [1, 34, 'premium', true, '2024-02-29', hashPii('salt', 'a@x.org')] },
      { row: 2, values: [2, null, 'basic', false, null, hashPii('salt', 'b@x.org')] },
    ]);
    expect(r.report.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:integer', 'age:integer', 'plan:category', 'active:boolean', 'joined:date', 'email:string']);
  });

  it('quarantines rows with the rules they broke, keeping row number and text (rawText keep)', () => {
    const r = validate(HEADER + '1,abc,gold,maybe,2024-02-30,nope\n2,200,basic,true,2024-01-01,c@x.org\n3,5\n', { contract: contract({ quarantine: { rawText: 'keep' } }) });
    expect(r.report.rows).toEqual({ read: 3, accepted: 0, quarantined: 3, duplicates: 0 });
    const [first, second, third] = r.all.quarantined;
    expect(first.row).toBe(1);
    expect(first.text).toBe('1,abc,gold,maybe,2024-02-30,nope');
    expect(first.errors.map((e) => `${e.rule}:${e.column}`)).toEqual(['type:age', 'domain:plan', 'type:active', 'type:joined', 'pattern:email']);
    expect(second.errors).toEqual([{ rule: 'range', column: 'age', message: '200 is above max 120' }]);
    expect(third.errors).toEqual([{ rule: 'field-count', message: 'has 2 field(s), expected 6' }]);
    // Quarantine alone does not reject: no maxQuarantineRate in this contract.
    expect(r.report.status).toBe('accepted');
    expect(r.report.quarantine.byRule.find((f) => f.rule === 'range')).toMatchObject({ column: 'age', count: 1, firstRow: 2 });
  });

  it('counts warn-severity breaches as warnings and keeps the row', () => {
    const c = contract();
    c.columns[1].severity = { range: 'warn' };
    const r = validate(HEADER + '1,200,basic,true,,a@x.org\n', { contract: c });
    expect(r.report.rows.accepted).toBe(1);
    expect(r.all.accepted[0].values[1]).toBe(200);
    expect(r.report.warnings).toEqual([expect.objectContaining({ rule: 'range', column: 'age', count: 1, firstRow: 1 })]);
  });

  it('drops exact duplicates and rejects conflicting keys', () => {
    const r = validate(HEADER + '1,30,basic,true,,a@x.org\n1,30,basic,true,,a@x.org\n1,31,basic,true,,a@x.org\n2,30,basic,true,,a@x.org\n');
    expect(r.report.rows).toEqual({ read: 4, accepted: 2, quarantined: 0, duplicates: 2 });
    // A key repeat keeps its first row's text, which shows what differs (PII hashed, as quarantine keeps texts).
    expect(r.all.duplicates).toEqual([
      { rows: [2, 2], line: 3, kind: 'row', of: 'batch' },
      { rows: [3, 3], line: 4, kind: 'key', of: 'batch', text: `1,31,basic,true,,${hashPii('salt', 'a@x.org')}`, piiHashed: true },
    ]);
    // Without PII columns it is the row as written.
    const plain = validate(HEADER + '1,30,basic,true,,a@x.org\n1,31,basic,true,,a@x.org\n', { contract: contract({ columns: contract().columns.map((c) => ({ ...c, pii: undefined })) }) });
    expect(plain.all.duplicates).toEqual([{ rows: [2, 2], line: 3, kind: 'key', of: 'batch', text: '1,31,basic,true,,a@x.org' }]);
    expect(r.report.status).toBe('rejected');
    expect(r.report.errors[0]).toMatchObject({ rule: 'key-unique', column: 'id', firstRow: 3 });
  });

  it('dedups by whole row without a key', () => {
    const r = validate(HEADER + '1,30,basic,true,,a@x.org\n1,30, basic,true,,a@x.org\n', { contract: contract({ primaryKey: undefined }) });
    expect(r.report.rows).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(r.report.duplicates).toEqual({ sameRow: 1, sameKey: 0, ofEarlierBatches: 0 });
  });

  it('records a long run of repeats as one range, still counting every row', () => {
    const rows = Array.from({ length: 5_000 }, () => '1,30,basic,true,,a@x.org\n').join('');
    const r = validate(HEADER + rows + '2,30,basic,true,,a@x.org\n1,30,basic,true,,a@x.org\n', {}, 4096);
    expect(r.report.rows).toEqual({ read: 5_002, accepted: 2, quarantined: 0, duplicates: 4_999 + 1 });
    expect(r.all.duplicates).toEqual([
      { rows: [2, 5_000], line: 3, kind: 'row', of: 'batch' },
      { rows: [5_002, 5_002], line: 5_003, kind: 'row', of: 'batch' },
    ]);
  });

  it('rejects a batch over its row or byte limit, naming the limit, and stops reading it', () => {
    const limits = { maxBytes: 10_000, maxRows: 3, names: { maxBytes: 'SETTING_BYTES', maxRows: 'SETTING_ROWS' } };
    const rows = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1},30,basic,true,,a@x.org\n`).join('');
    const tooMany = validate(HEADER + rows(10), { limits });
    expect(tooMany.report.status).toBe('rejected');
    expect(tooMany.report.errors).toEqual([{ rule: 'batch-limit', message: 'people.csv has more than 3 rows, the most one batch may hold (SETTING_ROWS); split it into smaller batches' }]);
    expect(tooMany.report.rows.read).toBe(3);
    const tooBig = validate(HEADER + rows(1_000), { limits: { ...limits, maxRows: 1_000_000 } }, 1_000);
    expect(tooBig.report.errors).toEqual([{ rule: 'batch-limit', message: 'people.csv is larger than 10000 bytes (decompressed), the most one batch may hold (SETTING_BYTES); split it into smaller batches' }]);
    expect(tooBig.report.rows.read).toBeLessThan(1_000);
    const started = startBatchValidation({ contract: contract(), piiSalt: 's', limits });
    if (!started.ok) throw new Error(started.error);
    started.value.push(new TextEncoder().encode(HEADER + rows(5)));
    expect(started.value.overLimit).toBe(true);
    expect(started.value.push(new TextEncoder().encode(rows(5))).accepted).toEqual([]);
    const within = validate(HEADER + rows(3), { limits });
    expect(within.report.status).toBe('accepted');
  });

  it('validates pushed records one by one: two broken rows never join into an invented one', () => {
    const started = startBatchValidation({ contract: contract({ quarantine: { rawText: 'keep' } }), piiSalt: 'salt', source: 'replay' });
    if (!started.ok) throw new Error(started.error);
    const v = started.value;
    // Joined with a newline these two halves read as one valid row: 1,30,"basic\n",true,,a@x.org ... no longer.
    const texts = ['1,30,"basic', '",true,,a@x.org', '2,40,basic,true,,b@x.org'];
    const outputs = [v.push(new TextEncoder().encode(HEADER)), ...texts.map((t) => v.pushRecord(t)), v.end()];
    const quarantined = outputs.flatMap((o) => o.quarantined);
    const accepted = outputs.flatMap((o) => o.accepted);
    expect(quarantined.map((q) => [q.row, q.text, q.errors[0].rule])).toEqual([[1, '1,30,"basic', 'quote'], [2, '",true,,a@x.org', 'quote']]);
    expect(accepted.map((a) => a.row)).toEqual([3]);
    expect((outputs.at(-1) as BatchResult).report.rows).toEqual({ read: 3, accepted: 1, quarantined: 2, duplicates: 0 });
  });

  it('carries dedup state across batches as plain JSON', () => {
    const first = validate(HEADER + '1,30,basic,true,,a@x.org\n2,40,basic,true,,b@x.org\n');
    const state: DedupState = JSON.parse(JSON.stringify(first.dedup));
    expect(state).toMatchObject({ version: 1, mode: 'key', keyColumns: ['id'], count: 2 });
    const second = validate(HEADER + '2,40,basic,true,,b@x.org\n1,99,basic,true,,a@x.org\n3,50,basic,true,,c@x.org\n', { dedup: state });
    expect(second.report.rows).toEqual({ read: 3, accepted: 1, quarantined: 0, duplicates: 2 });
    // A key from an earlier batch is a repeat, not a conflict inside this batch; the report says why they were dropped.
    expect(second.report.status).toBe('accepted');
    expect(second.report.duplicates).toEqual({ sameRow: 1, sameKey: 1, ofEarlierBatches: 2 });
    expect(second.all.duplicates.map((d) => [d.rows, d.kind, d.of])).toEqual([[[1, 1], 'row', 'earlier'], [[2, 2], 'key', 'earlier']]);
    expect(second.report.warnings).toContainEqual({
      rule: 'duplicates',
      count: 2,
      message: expect.stringContaining("2 row(s) repeat the key (id) of rows of earlier batches of 'people', e.g. [id=2] [id=1] and were dropped as duplicates"),
    });
    expect(second.dedup.count).toBe(3);
  });

  it('refuses dedup state kept for another key', () => {
    const state = validate(HEADER + '1,30,basic,true,,a@x.org\n').dedup;
    const result = startBatchValidation({ contract: contract({ primaryKey: undefined }), piiSalt: 's', dedup: state });
    expect(result).toEqual({ ok: false, error: expect.stringContaining('[id]') });
  });

  it('rejects a missing required column and duplicate header names, naming them', () => {
    const r = validate('id,age,age,active,joined,email\n1,2,3,true,,a@x.org\n');
    expect(r.report.status).toBe('rejected');
    expect(r.report.errors.map((e) => `${e.rule}:${e.column}`)).toEqual(['duplicate-column:age', 'missing-column:plan']);
    expect(r.report.errors[1].message).toContain('people.csv');
  });

  it('matches header names in any order and warns about extra columns', () => {
    const r = validate('email,extra,joined,active,plan,age,id\na@x.org,zzz,,true,basic,5,9\n');
    expect(r.all.accepted[0].values.slice(0, 3)).toEqual([9, 5, 'basic']);
    expect(r.report.warnings[0]).toMatchObject({ rule: 'extra-column', column: 'extra' });
  });

  it('rejects on row-count bounds, null rates and the quarantine rate', () => {
    const c = contract({ rowCount: { min: 3 }, maxQuarantineRate: 0.25 });
    c.columns[1].mostly = 0.9;
    const r = validate(HEADER + '1,,basic,true,,a@x.org\n2,x,basic,true,,b@x.org\n', { contract: c });
    expect(r.report.errors.map((e) => e.rule)).toEqual(['row-count', 'null-rate', 'quarantine-rate']);
    expect(r.report.errors[1].message).toBe("column 'age' is missing in 50.0% of rows, the contract allows 10.0% (mostly 0.9)");
    expect(r.report.errors[2]).toMatchObject({ column: 'age', message: expect.stringContaining('most common: type') });
  });

  it('rejects an empty input and warns on a header-only one', () => {
    expect(validate('').report.errors[0]).toMatchObject({ rule: 'header', message: 'people.csv is empty: no header line and no rows' });
    const headerOnly = validate(HEADER);
    expect(headerOnly.report.status).toBe('accepted');
    expect(headerOnly.report.warnings[0]).toMatchObject({ rule: 'row-count' });
  });

  it('quarantines every row when the header is unreadable', () => {
    const bytes = new Uint8Array([0x69, 0x64, 0xff, 0x0a, 0x31, 0x0a]);
    const started = startBatchValidation({ contract: contract(), piiSalt: 's' });
    if (!started.ok) throw new Error(started.error);
    started.value.push(bytes);
    const r = started.value.end();
    expect(r.report.errors[0].rule).toBe('header');
    expect(r.report.rows).toEqual({ read: 1, accepted: 0, quarantined: 1, duplicates: 0 });
  });

  it('validates JSON Lines, taking numbers and booleans as they are', () => {
    const c = contract({ format: { type: 'jsonl' } });
    const r = validate('{"id":1,"age":30,"plan":"basic","active":true,"email":"a@x.org"}\n{"id":2,"age":"old"}\n[1]\n', { contract: c });
    expect(r.all.accepted[0].values.slice(0, 5)).toEqual([1, 30, 'basic', true, null]);
    expect(r.all.quarantined.map((q) => q.errors[0].rule)).toEqual(['type', 'json']);
  });

  it('drops PII columns marked drop', () => {
    const c = contract();
    c.columns[5].pii = 'drop';
    const r = validate(HEADER + '1,30,basic,true,,a@x.org\n', { contract: c });
    expect(r.report.columns.map((x) => x.name)).not.toContain('email');
    expect(r.all.accepted[0].values).toHaveLength(5);
  });
});

describe('a test set keeps its repeats', () => {
  it('accepts rows repeating an earlier row or key when asked (keepRepeats), and drops them otherwise', () => {
    const text = HEADER + '1,34,basic,yes,,a@x.org\n1,34,basic,yes,,a@x.org\n2,40,basic,no,,b@x.org\n1,34,basic,yes,,a@x.org\n';
    const kept = validate(text, { keepRepeats: true });
    expect(kept.report.rows).toEqual({ read: 4, accepted: 4, quarantined: 0, duplicates: 0 });
    expect(kept.all.accepted.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(validate(text).report.rows).toEqual({ read: 4, accepted: 2, quarantined: 0, duplicates: 2 });
  });
});
