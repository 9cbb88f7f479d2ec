import { describe, expect, it } from 'vitest';
import { parseContract, parseContractText } from '../../../src/Dps.Domain/data/contract-schema';

const base = () => ({
  contractVersion: 1,
  dataset: 'adult',
  format: { type: 'csv', delimiter: ',', header: true },
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'age', type: 'integer', min: 17, max: 90, missingValues: ['?'] },
    { name: 'income', type: 'category', values: ['<=50K', '>50K'], trim: true, map: { '>50K.': '>50K', '<=50K.': '<=50K' } },
    { name: 'email', type: 'string', pii: 'hash', pattern: '[^@]+@[^@]+' },
  ],
  primaryKey: ['id'],
  label: { column: 'income', positiveClass: '>50K' },
  rowCount: { min: 1 },
  maxQuarantineRate: 0.05,
});

describe('contract schema', () => {
  it('accepts a full contract and fills defaults', () => {
    const result = parseContract(base());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.format).toEqual({ type: 'csv', delimiter: ',', header: true, quote: '"', encoding: 'utf-8' });
    expect(result.value.missingValues).toEqual(['']);
    expect(result.value.columns[1]).toMatchObject({ nullable: true, required: true, trim: false, min: 17 });
    expect(result.value.label).toEqual({ column: 'income', task: 'binary', positiveClass: '>50K' });
  });

  it.each([
    [(d: any) => (d.contractVersion = 2), '$.contractVersion: must be 1 (got 2)'],
    [(d: any) => (d.columns[1].type = 'int'), '$.columns[1].type: must be one of integer, number, string, category, boolean, date, timestamp'],
    [(d: any) => (d.columns[1].min = 'low'), '$.columns[1].min: must be a number'],
    [(d: any) => (d.columns[1].min = 100), '$.columns[1].min: must not exceed max (100 > 90)'],
    [(d: any) => (d.columns[2].name = 'id'), "$.columns[2].name: duplicate column name 'id'"],
    [(d: any) => (d.columns[3].pattern = '('), '$.columns[3].pattern: is not a valid regular expression'],
    [(d: any) => (d.columns[3].pii = 'mask'), '$.columns[3].pii: must be "hash" or "drop"'],
    [(d: any) => (d.columns[0].colour = 'red'), '$.columns[0].colour: unknown field'],
    [(d: any) => (d.primaryKey = ['age']), `$.primaryKey[0]: key column 'age' must have "nullable": false`],
    [(d: any) => (d.primaryKey = ['nope']), "$.primaryKey[0]: no column named 'nope'"],
    [(d: any) => (d.label.positiveClass = 'rich'), '$.label.positiveClass: "rich" is not among the values of \'income\''],
    [(d: any) => (d.label.column = 'email'), "$.label.column: label column 'email' cannot be PII"],
    [(d: any) => (d.format.delimiter = ':'), '$.format.delimiter: must be one of'],
    [(d: any) => (d.format.encoding = 'latin1'), '$.format.encoding: must be "utf-8"'],
    [(d: any) => (d.maxQuarantineRate = 2), '$.maxQuarantineRate: must be a number between 0 and 1'],
    [(d: any) => (d.columns[1].severity = { range: 'fatal' }), '$.columns[1].severity.range: must be "error" or "warn"'],
    [(d: any) => (d.columns[1].values = ['x']), '$.columns[1].values[0]: must be an integer'],
    [(d: any) => (d.dataset = 'a/b'), '$.dataset: must be a name'],
  ])('names the path and rule of a bad field (%#)', (mutate, expected) => {
    const doc = base();
    mutate(doc);
    const result = parseContract(doc);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.some((e) => e.startsWith(expected))).toBe(true);
  });

  it('reports JSON syntax errors at $', () => {
    const result = parseContractText('{"contractVersion": 1,');
    expect(result).toEqual({ ok: false, error: [expect.stringMatching(/^\$: not valid JSON/)] });
  });

  it('types allowed values and bounds of date columns', () => {
    const doc = { contractVersion: 1, dataset: 'd', columns: [{ name: 'd', type: 'date', min: '2020-01-01', values: ['2020-02-29'] }, { name: 'n', type: 'integer', values: ['1', 2] }] };
    const result = parseContract(doc);
    expect(result.ok && result.value.columns.map((c) => c.values)).toEqual([['2020-02-29'], [1, 2]]);
    const bad = parseContract({ ...doc, columns: [{ name: 'd', type: 'date', min: '2021-02-29' }] });
    expect(bad.ok).toBe(false);
  });
});
