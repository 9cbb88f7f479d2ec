import { describe, expect, it } from 'vitest';
import type { DataContract } from '../../../src/Dps.Domain/data/contract-types';
import { outputColumns } from '../../../src/Dps.Domain/data/accepted-row';
import { compileRecordEncoder, detectTask, fitFeaturePipeline, labelledData, transformRows } from '../../../src/Dps.Domain/ml/feature-pipeline';

const col = (name: string, type: string, extra: object = {}) => ({ name, type, nullable: true, required: true, trim: false, ...extra });
const contract = {
  contractVersion: 1,
  dataset: 'd',
  format: { type: 'csv', delimiter: ',', header: true, quote: '"', encoding: 'utf-8' },
  missingValues: [''],
  columns: [
    col('id', 'integer'), col('email', 'string', { pii: 'hash' }), col('age', 'integer'), col('plan', 'category', { values: ['a', 'b', 'z'] }),
    col('joined', 'date'), col('autopay', 'boolean'), col('note', 'string'), col('y', 'category'),
  ],
  primaryKey: ['id'],
  label: { column: 'y', task: 'binary', positiveClass: 'yes' },
} as unknown as DataContract;

const rows = Array.from({ length: 300 }, (_, i) => ({
  id: i, email: `h${i}`, age: 20 + (i % 50), plan: i % 2 ? 'a' : 'b', joined: '2024-01-02', autopay: i % 3 === 0, note: `free text ${i}`, y: i % 4 === 0 ? 'yes' : i % 7 === 0 ? null : 'no',
}));

describe('feature pipeline from the contract', () => {
  it('excludes key, PII, label and free text, and encodes the rest', () => {
    const fitted = fitFeaturePipeline(contract, outputColumns(contract), rows);
    if (!fitted.ok) throw new Error(fitted.error);
    expect(fitted.value.task).toBe('binary');
    expect(fitted.value.features.map((f) => `${f.name}:${f.kind}`)).toEqual(['age:numeric', 'plan:categorical', 'joined:numeric', 'autopay:numeric']);
    expect(fitted.value.excluded).toEqual([
      { name: 'id', reason: 'primary key' }, { name: 'email', reason: 'personal data' }, { name: 'note', reason: 'free text' }, { name: 'y', reason: 'label' },
    ]);
    const plan = fitted.value.features.find((f) => f.name === 'plan');
    expect(plan).toEqual({ name: 'plan', kind: 'categorical', categories: ['a', 'b', 'z'] });
  });

  it('maps labels to 1 for the positive class and drops unlabelled rows', () => {
    const fitted = fitFeaturePipeline(contract, outputColumns(contract), rows);
    if (!fitted.ok) throw new Error(fitted.error);
    const data = labelledData(fitted.value, rows);
    const unlabelled = rows.filter((r) => r.y === null).length;
    expect(data.droppedUnlabelled).toBe(unlabelled);
    expect(data.labels.length).toBe(rows.length - unlabelled);
    expect([...data.labels].filter((v) => v === 1).length).toBe(rows.filter((r) => r.y === 'yes').length);
  });

  it('treats unseen categories and missing values as missing when scoring', () => {
    const fitted = fitFeaturePipeline(contract, outputColumns(contract), rows);
    if (!fitted.ok) throw new Error(fitted.error);
    const m = transformRows(fitted.value, [{ age: null, plan: 'never-seen', joined: '1970-01-11', autopay: true }]);
    const [age, plan, joined, autopay] = m.columns;
    expect(Number.isNaN(age.values[0])).toBe(true);
    expect(plan.values[0]).toBe(-1);
    expect(joined.values[0]).toBe(10);
    expect(autopay.values[0]).toBe(1);
  });

  it('decides the task from the label: declared task first, classes never silently a regression target', () => {
    const numeric = { ...contract, columns: [...contract.columns.slice(0, 7), col('y', 'number')] } as unknown as DataContract;
    const integer = { ...contract, columns: [...contract.columns.slice(0, 7), col('y', 'integer')] } as unknown as DataContract;
    const undeclared = (c: DataContract): DataContract => ({ ...c, label: { column: 'y' } }) as unknown as DataContract;
    expect(detectTask(undeclared(numeric), Array.from({ length: 50 }, (_, i) => i * 1.5))).toEqual({ ok: true, value: { task: 'regression', warnings: [] } });
    const three = detectTask({ ...contract, label: { column: 'y', task: 'multiclass' } } as DataContract, ['b', 'a', 'c', 'a']);
    expect(three).toEqual({ ok: true, value: { task: 'multiclass', classes: ['a', 'b', 'c'], warnings: [] } });
    // Twelve integer class ids: multiclass, with a warning that says how to get regression instead.
    const ids = detectTask(undeclared(integer), Array.from({ length: 60 }, (_, i) => i % 12));
    expect(ids.ok && ids.value.task).toBe('multiclass');
    expect(ids.ok && ids.value.warnings[0]).toMatch(/label 'y' holds 12 integer values .*multiclass; declare task: regression/);
    // More integer values than the class limit (a parameter): regression, also with a warning.
    const many = detectTask(undeclared(integer), Array.from({ length: 60 }, (_, i) => i), 50);
    expect(many.ok && many.value.task).toBe('regression');
    expect(many.ok && many.value.warnings[0]).toMatch(/more than 50 classes: trained as regression; declare task: multiclass/);
    expect(detectTask(undeclared(integer), Array.from({ length: 60 }, (_, i) => i), 100).ok).toBe(true);
    // A declared regression on an ordinal label with five levels is honoured, with the warning.
    const rating = { ...integer, label: { column: 'y', task: 'regression' } } as DataContract;
    const five = detectTask(rating, [1, 2, 3, 4, 5, 3]);
    expect(five.ok && five.value.task).toBe('regression');
    expect(five.ok && five.value.warnings[0]).toMatch(/trained as regression because the contract declares task: regression; declare task: multiclass/);
    const binary = detectTask({ ...contract, label: { column: 'y', task: 'binary' } } as DataContract, ['a', 'b', 'c']);
    expect(binary.ok ? '' : binary.error).toBe("label 'y' is declared binary but has 3 classes (a, b, c); declare task multiclass");
    const single = detectTask(rating, [4, 4, null]);
    expect(single.ok ? '' : single.error).toBe("label 'y' has 1 distinct value(s) (4); a model needs two classes or a numeric target");
    const none = detectTask({ ...contract, label: undefined } as DataContract, []);
    expect(none.ok ? '' : none.error).toMatch(/no label column/);
  });

  it('codes multiclass labels by class index and drops classes never seen in training', () => {
    const multi = { ...contract, label: { column: 'y', task: 'multiclass' } } as DataContract;
    const three = rows.map((r, i) => ({ ...r, y: ['red', 'green', 'blue'][i % 3] }));
    const fitted = fitFeaturePipeline(multi, outputColumns(multi), three);
    if (!fitted.ok) throw new Error(fitted.error);
    expect(fitted.value.label.classes).toEqual(['blue', 'green', 'red']);
    const data = labelledData(fitted.value, [...three.slice(0, 3), { ...three[0], y: 'purple' }]);
    expect(Array.from(data.labels)).toEqual([2, 1, 0]);
    expect(data.droppedUnlabelled).toBe(1);
  });
});

describe('record encoder (the single-row scoring path)', () => {
  it('encodes a record exactly as transformRows does', () => {
    const fitted = fitFeaturePipeline(contract, outputColumns(contract), rows);
    if (!fitted.ok) throw new Error(fitted.error);
    const encode = compileRecordEncoder(fitted.value);
    const records = [rows[3], rows[4], { age: null, plan: 'never-seen', joined: 'not a date', autopay: false }];
    const matrix = transformRows(fitted.value, records);
    records.forEach((record, r) => {
      const row = encode(record, new Float64Array(matrix.columns.length));
      expect(Array.from(row)).toEqual(matrix.columns.map((c) => c.values[r]));
    });
  });
});
