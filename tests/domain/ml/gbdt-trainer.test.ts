import { describe, expect, it } from 'vitest';
import { auc, logLoss } from '../../../src/Dps.Domain/ml/binary-metrics';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, NODE_FLAGS } from '../../../src/Dps.Domain/ml/gbdt-model';
import { gbdtModelToJson } from '../../../src/Dps.Domain/ml/gbdt-model-json';
import { GbdtParams } from '../../../src/Dps.Domain/ml/gbdt-params';
import { GbdtTrainingResult, trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { rSquared } from '../../../src/Dps.Domain/ml/regression-metrics';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { predictMatrix, predictRow } from '../../../src/Dps.Domain/ml/tree-predictor';
import { COLORS, binaryTask, regressionTask } from './synthetic-data';

type Params = Partial<GbdtParams> & Pick<GbdtParams, 'objective'>;

function train(matrix: FeatureMatrix, labels: Float64Array, params: Params, seed = 1): GbdtTrainingResult {
  const result = trainGbdt(matrix, labels, params, seed);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

function predictions(result: GbdtTrainingResult, matrix: FeatureMatrix): Float64Array {
  const predicted = predictMatrix(result.model, matrix);
  if (!predicted.ok) throw new Error(predicted.error);
  return predicted.value;
}

/** x uniform in [0, 1] and label x > 0.5; a share of rows has x missing and label `missingLabel`. */
function thresholdWithMissing(rows: number, missingLabel: number, missingShare: number): { matrix: FeatureMatrix; labels: Float64Array } {
  const random = createRandom(5);
  const x = new Float64Array(rows);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const missing = random.next() < missingShare;
    x[r] = missing ? NaN : random.next();
    labels[r] = missing ? missingLabel : x[r] > 0.5 ? 1 : 0;
  }
  return { matrix: { rows, columns: [{ name: 'x', kind: 'numeric', values: x }] }, labels };
}

/** A single split, so the model's one decision can be read off its predictions. */
const stump = { numRounds: 1, numLeaves: 2, earlyStoppingRounds: 0, learningRate: 1 } as const;

describe('trainGbdt on a binary task with a known rule', () => {
  const data = binaryTask(4000, 1);
  const test = binaryTask(4000, 2);
  const result = train(data.matrix, data.labels, { objective: 'binary' });
  const predicted = predictions(result, test.matrix);

  it('comes close to the true rule and beats a constant', () => {
    const oracle = auc(test.labels, test.trueLogit);
    expect(auc(test.labels, predicted)).toBeGreaterThan(oracle - 0.015);
    const baseRate = data.labels.reduce((sum, y) => sum + y, 0) / data.labels.length;
    const constant = new Float64Array(test.labels.length).fill(baseRate);
    expect(logLoss(test.labels, predicted)).toBeLessThan(0.8 * logLoss(test.labels, constant));
  });

  it('predicts a single row exactly as the batch does', () => {
    const row = new Float64Array(test.matrix.columns.length);
    for (const r of [0, 1, 2, 17, 999]) {
      test.matrix.columns.forEach((column, f) => (row[f] = column.values[r]));
      expect(predictRow(result.model, row)).toBe(predicted[r]);
    }
  });

  it('records a falling training curve and accounts for every row', () => {
    const curve = result.curve.train;
    expect(curve.length).toBeGreaterThanOrEqual(result.bestIteration);
    expect(curve[curve.length - 1]).toBeLessThan(curve[0]);
    expect(result.trainRows + result.validationRows).toBe(data.matrix.rows);
    expect(result.validationRows).toBe(400);
  });
});

describe('trainGbdt on regression', () => {
  it('fits a known smooth function with R² above 0.9', () => {
    const data = regressionTask(3000, 3);
    const test = regressionTask(2000, 4);
    const result = train(data.matrix, data.labels, { objective: 'regression', learningRate: 0.1 });
    expect(rSquared(test.labels, predictions(result, test.matrix))).toBeGreaterThan(0.9);
  });
});

describe('determinism', () => {
  const data = binaryTask(1500, 3);
  const subsampled: Params = { objective: 'binary', numRounds: 30, baggingFraction: 0.7, featureFraction: 0.6, earlyStoppingRounds: 0 };
  const serialise = (seed: number): string => JSON.stringify(gbdtModelToJson(train(data.matrix, data.labels, subsampled, seed).model));

  it('gives the same model bits for the same seed', () => {
    expect(serialise(11)).toBe(serialise(11));
  });

  it('gives a different model for another seed when subsampling', () => {
    expect(serialise(12)).not.toBe(serialise(11));
  });
});

describe('early stopping', () => {
  it('stops once validation loss stalls and keeps the best iteration', () => {
    const data = binaryTask(600, 4);
    const result = train(data.matrix, data.labels, { objective: 'binary', learningRate: 0.5, numRounds: 500, earlyStoppingRounds: 10 });
    const losses = result.curve.validation;
    expect(result.stopReason).toBe('early-stopping');
    expect(losses.length).toBe(result.bestIteration + 10);
    expect(result.model.treeRoots.length).toBe(result.bestIteration);
    expect(result.validationLoss).toBe(Math.min(...losses));
    expect(losses[result.bestIteration - 1]).toBe(result.validationLoss);
  });

  it('keeps every round when early stopping is off', () => {
    const data = binaryTask(600, 4);
    const result = train(data.matrix, data.labels, { objective: 'binary', numRounds: 25, earlyStoppingRounds: 0 });
    expect(result.stopReason).toBe('rounds');
    expect(result.bestIteration).toBe(25);
    expect(result.curve.validation).toEqual([]);
    expect(result.validationLoss).toBeNaN();
  });

  it('uses a given validation set instead of holding rows out', () => {
    const data = binaryTask(800, 5);
    const valid = binaryTask(300, 6);
    const result = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 40 }, 1, valid);
    expect(result.ok && result.value.trainRows === 800 && result.value.validationRows === 300).toBe(true);
  });
});

describe('missing values', () => {
  const xAt = (value: number): Float64Array => Float64Array.of(value);

  it('sends missing values the learned way: with the positives', () => {
    const data = thresholdWithMissing(1000, 1, 0.2);
    const model = train(data.matrix, data.labels, { objective: 'binary', ...stump }).model;
    expect(model.nodes[NODE_FLAGS] & FLAG_DEFAULT_LEFT).toBe(0);
    expect(predictRow(model, xAt(NaN))).toBe(predictRow(model, xAt(0.9)));
    expect(predictRow(model, xAt(NaN))).toBeGreaterThan(predictRow(model, xAt(0.1)));
  });

  it('sends missing values the learned way: with the negatives', () => {
    const data = thresholdWithMissing(1000, 0, 0.2);
    const model = train(data.matrix, data.labels, { objective: 'binary', ...stump }).model;
    expect(model.nodes[NODE_FLAGS] & FLAG_DEFAULT_LEFT).toBe(FLAG_DEFAULT_LEFT);
    expect(predictRow(model, xAt(NaN))).toBe(predictRow(model, xAt(0.1)));
  });

  it('splits missing from present values when only missingness carries signal', () => {
    const random = createRandom(9);
    const rows = 1000;
    const x = Float64Array.from({ length: rows }, () => (random.next() < 0.3 ? NaN : random.next()));
    const labels = x.map((v) => (v !== v ? 1 : 0));
    const model = train({ rows, columns: [{ name: 'x', kind: 'numeric', values: x }] }, labels, { objective: 'binary', ...stump }).model;
    expect(predictRow(model, xAt(NaN))).toBeGreaterThan(0.9);
    expect(predictRow(model, xAt(0.01))).toBeLessThan(0.1);
    expect(predictRow(model, xAt(0.99))).toBeLessThan(0.1);
  });

  it('sends missing values to the larger side when training saw none', () => {
    const { matrix } = thresholdWithMissing(1000, 0, 0);
    const stumpAt = (cut: number) =>
      train(matrix, Float64Array.from(matrix.columns[0].values, (v) => (v > cut ? 1 : 0)), { objective: 'binary', ...stump }).model;
    const leftLarger = stumpAt(0.7);
    expect(predictRow(leftLarger, xAt(NaN))).toBe(predictRow(leftLarger, xAt(0.2)));
    const rightLarger = stumpAt(0.3);
    expect(predictRow(rightLarger, xAt(NaN))).toBe(predictRow(rightLarger, xAt(0.9)));
  });
});

describe('categorical splits', () => {
  it('learns a category set no ordinal threshold could express', () => {
    const rows = 600;
    const color = Int32Array.from({ length: rows }, (_, r) => r % COLORS.length);
    const labels = Float64Array.from(color, (c) => (c % 2 === 1 ? 1 : 0)); // b, d, f
    const matrix: FeatureMatrix = { rows, columns: [{ name: 'color', kind: 'categorical', values: color, categories: [...COLORS] }] };
    const model = train(matrix, labels, { objective: 'binary', ...stump }).model;
    expect(model.nodes[NODE_FLAGS] & FLAG_CATEGORICAL).toBe(FLAG_CATEGORICAL);
    const p = COLORS.map((_, code) => predictRow(model, Float64Array.of(code)));
    expect(new Set([p[1], p[3], p[5]]).size).toBe(1);
    expect(new Set([p[0], p[2], p[4]]).size).toBe(1);
    // One Newton step from 0.5 reaches sigmoid(2) ≈ 0.88 on a pure leaf.
    expect(p[1]).toBeGreaterThan(0.85);
    expect(p[0]).toBeLessThan(0.15);
  });

  it('sends categories rarer than minDataPerCategory right, with unseen ones', () => {
    const rows = 605;
    const color = Int32Array.from({ length: rows }, (_, r) => (r < 600 ? r % 2 : 2));
    const labels = Float64Array.from(color, (c) => (c === 0 ? 0 : 1));
    const matrix: FeatureMatrix = { rows, columns: [{ name: 'color', kind: 'categorical', values: color, categories: ['x', 'y', 'rare'] }] };
    const model = train(matrix, labels, { objective: 'binary', ...stump, minDataPerCategory: 10 }).model;
    const p = (code: number): number => predictRow(model, Float64Array.of(code));
    expect(p(2)).toBe(p(7));
    expect([p(0), p(1)]).toContain(p(2));
    expect(p(0)).not.toBe(p(1));
  });
});

describe('input errors come back as values', () => {
  const data = binaryTask(200, 7);

  it('rejects labels that do not fit the rows or the objective', () => {
    expect(trainGbdt(data.matrix, data.labels.subarray(1), { objective: 'binary' }, 1).ok).toBe(false);
    expect(trainGbdt(data.matrix, data.labels.map((y) => y * 2), { objective: 'binary' }, 1).ok).toBe(false);
    expect(trainGbdt(data.matrix, new Float64Array(200), { objective: 'binary' }, 1).ok).toBe(false);
  });

  it('rejects parameters out of range', () => {
    const result = trainGbdt(data.matrix, data.labels, { objective: 'binary', numLeaves: 1, learningRate: 0 }, 1);
    expect(result.ok ? '' : result.error).toMatch(/numLeaves.*learningRate|learningRate.*numLeaves/);
  });

  it('rejects a validation set without the training columns', () => {
    const valid = { matrix: { rows: 200, columns: data.matrix.columns.slice(1) }, labels: data.labels };
    const result = trainGbdt(data.matrix, data.labels, { objective: 'binary' }, 1, valid);
    expect(result.ok ? '' : result.error).toContain('validation set');
  });
});
