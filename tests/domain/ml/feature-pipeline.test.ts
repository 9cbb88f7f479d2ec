import { describe, expect, it } from 'vitest';
import type { DataContract } from '../../../src/Dps.Domain/data/contract-types';
import { outputColumns } from '../../../src/Dps.Domain/data/accepted-row';
import { detectTask, fitFeaturePipeline, labelledData, transformRows } from '../../../src/Dps.Domain/ml/feature-pipeline';

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

  it('decides the task from the label and explains what it cannot train', () => {
    const numeric = { ...contract, columns: [...contract.columns.slice(0, 7), col('y', 'number')] } as unknown as DataContract;
    expect(detectTask(numeric, Array.from({ length: 50 }, (_, i) => i * 1.5))).toEqual({ ok: true, value: { task: 'regression' } });
    const three = detectTask({ ...contract, label: { column: 'y', task: 'multiclass' } } as DataContract, ['a', 'b', 'c']);
    expect(three.ok ? '' : three.error).toBe("label 'y' has 3 classes (a, b, c); DPS trains binary classification (two classes) and regression (a numeric label with many values) only");
    // Numeric with few values: classes, not a regression target; with more than ten: regression.
    const rating = { ...numeric, label: { column: 'y', task: 'regression' } } as DataContract;
    const five = detectTask(rating, [1, 2, 3, 4, 5, 3]);
    expect(five.ok ? '' : five.error).toMatch(/^label 'y' has 5 classes \(1, 2, 3, 4, 5\), too few values for regression \(it needs more than 10\)/);
    expect(detectTask(rating, Array.from({ length: 11 }, (_, i) => i))).toEqual({ ok: true, value: { task: 'regression' } });
    const single = detectTask(rating, [4, 4, null]);
    expect(single.ok ? '' : single.error).toBe("label 'y' has 1 distinct value(s) (4); a model needs two classes or a numeric target");
    const none = detectTask({ ...contract, label: undefined } as DataContract, []);
    expect(none.ok ? '' : none.error).toMatch(/no label column/);
  });
});
