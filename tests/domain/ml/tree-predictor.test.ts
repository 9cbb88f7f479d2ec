import { describe, expect, it } from 'vitest';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { predictMatrix, predictRawRow, predictRow } from '../../../src/Dps.Domain/ml/tree-predictor';
import { COLORS, binaryTask } from './synthetic-data';

describe('tree predictor', () => {
  const data = binaryTask(2000, 31);
  const trained = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 30, earlyStoppingRounds: 0 }, 1);
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value.model;
  const base = predictMatrix(model, data.matrix);
  if (!base.ok) throw new Error(base.error);

  it('returns the logistic of the raw score for binary models', () => {
    const row = Float64Array.from(data.matrix.columns, (column) => column.values[0]);
    expect(predictRow(model, row)).toBeCloseTo(1 / (1 + Math.exp(-predictRawRow(model, row))), 15);
  });

  it('matches columns by name and categories by label, not by position or code', () => {
    const [x1, noise, color, x3] = data.matrix.columns;
    if (color.kind !== 'categorical') throw new Error('color is categorical');
    const reversed = [...COLORS].reverse();
    const recoded = color.values.map((code) => reversed.indexOf(COLORS[code]));
    const shuffled: FeatureMatrix = {
      rows: data.matrix.rows,
      columns: [x3, { ...color, values: recoded, categories: reversed }, noise, x1],
    };
    const predicted = predictMatrix(model, shuffled);
    expect(predicted.ok && Array.from(predicted.value)).toEqual(Array.from(base.value));
  });

  it('treats categories unseen in training like the rare ones: never in a left set', () => {
    const color = data.matrix.columns[2];
    if (color.kind !== 'categorical') throw new Error('color is categorical');
    const unseen: FeatureMatrix = {
      rows: data.matrix.rows,
      columns: data.matrix.columns.map((column) =>
        column === color ? { ...color, values: color.values.map(() => 0), categories: ['never-seen'] } : column,
      ),
    };
    const predicted = predictMatrix(model, unseen);
    const row = Float64Array.from(data.matrix.columns, (column) => column.values[5]);
    row[2] = COLORS.length + 40;
    expect(predicted.ok && predicted.value[5]).toBe(predictRow(model, row));
  });

  it('fails when a column is missing or of the wrong kind', () => {
    expect(predictMatrix(model, { rows: data.matrix.rows, columns: data.matrix.columns.slice(1) }).ok).toBe(false);
    const wrongKind = data.matrix.columns.map((column) =>
      column.name === 'x1' ? { name: 'x1', kind: 'categorical' as const, values: new Int32Array(data.matrix.rows), categories: ['a'] } : column,
    );
    expect(predictMatrix(model, { rows: data.matrix.rows, columns: wrongKind }).ok).toBe(false);
  });
});
