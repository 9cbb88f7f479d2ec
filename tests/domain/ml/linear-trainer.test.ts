import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/Dps.Domain/ml/binary-metrics';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { LinearModel, predictLinear, trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { rSquared } from '../../../src/Dps.Domain/ml/regression-metrics';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

/** x1, x2 uniform in [-1, 1], a 3-level category, and x3 missing in a tenth of rows. */
function inputs(rows: number, seed: number): FeatureMatrix {
  const random = createRandom(seed);
  const column = (): Float64Array => Float64Array.from({ length: rows }, () => random.next() * 2 - 1);
  return {
    rows,
    columns: [
      { name: 'x1', kind: 'numeric', values: column() },
      { name: 'x2', kind: 'numeric', values: column() },
      { name: 'level', kind: 'categorical', values: Int32Array.from({ length: rows }, () => random.nextInt(3)), categories: ['a', 'b', 'c'] },
      { name: 'x3', kind: 'numeric', values: column().map((v) => (random.next() < 0.1 ? NaN : v)) },
    ],
  };
}

const values = (matrix: FeatureMatrix, name: string): Float64Array | Int32Array =>
  (matrix.columns.find((column) => column.name === name) as { values: Float64Array | Int32Array }).values;

/** Weight of a standardised input, turned back into the raw feature's units. */
function rawWeight(model: LinearModel, feature: number): number {
  const at = model.encoder.inputs.findIndex((input) => input.kind === 'standardised' && input.feature === feature);
  const input = model.encoder.inputs[at] as { scale: number };
  return model.outputs[0].weights[at] / input.scale;
}

function fit(matrix: FeatureMatrix, labels: Float64Array, objective: 'binary' | 'regression'): LinearModel {
  const model = trainLinear(matrix, labels, { objective, l2: 1e-6 });
  if (!model.ok) throw new Error(model.error);
  return model.value;
}

describe('linear baseline', () => {
  it('ridge recovers a linear rule with a categorical offset', () => {
    const matrix = inputs(2000, 1);
    const random = createRandom(2);
    const offsets = [0, 2, -1];
    const labels = Float64Array.from({ length: matrix.rows }, (_, r) =>
      1 + 3 * values(matrix, 'x1')[r] - 2 * values(matrix, 'x2')[r] + offsets[values(matrix, 'level')[r]] + (random.next() - 0.5) * 0.01,
    );
    const model = fit(matrix, labels, 'regression');
    expect(rawWeight(model, 0)).toBeCloseTo(3, 2);
    expect(rawWeight(model, 1)).toBeCloseTo(-2, 2);
    const predicted = predictLinear(model, matrix);
    expect(predicted.ok && rSquared(labels, predicted.value)).toBeGreaterThan(0.9999);
  });

  it('logistic regression learns a linear decision rule', () => {
    const matrix = inputs(3000, 3);
    const random = createRandom(4);
    const labels = Float64Array.from({ length: matrix.rows }, (_, r) => {
      const logit = 4 * (values(matrix, 'x1')[r] + 2 * values(matrix, 'x2')[r]);
      return random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    });
    const model = fit(matrix, labels, 'binary');
    expect(rawWeight(model, 1) / rawWeight(model, 0)).toBeGreaterThan(1.6);
    expect(rawWeight(model, 1) / rawWeight(model, 0)).toBeLessThan(2.4);
    const test = inputs(2000, 5);
    const testLabels = Float64Array.from({ length: test.rows }, (_, r) => (values(test, 'x1')[r] + 2 * values(test, 'x2')[r] > 0 ? 1 : 0));
    const predicted = predictLinear(model, test);
    expect(predicted.ok && auc(testLabels, predicted.value)).toBeGreaterThan(0.99);
    expect(predicted.ok && predicted.value.every((p) => p > 0 && p < 1)).toBe(true);
  });

  it('is deterministic and serialises as plain JSON', () => {
    const matrix = inputs(500, 6);
    const labels = Float64Array.from(values(matrix, 'x1'), (v) => (v > 0 ? 1 : 0)).map((y, r) => (r % 7 === 0 ? 1 - y : y));
    const a = JSON.stringify(fit(matrix, labels, 'binary'));
    expect(JSON.stringify(fit(matrix, labels, 'binary'))).toBe(a);
    const restored = JSON.parse(a) as LinearModel;
    const before = predictLinear(JSON.parse(a), matrix);
    const after = predictLinear(restored, matrix);
    expect(before.ok && after.ok && Array.from(after.value)).toEqual(before.ok && Array.from(before.value));
  });

  it('encodes missing values with an indicator and one-hot categories', () => {
    const matrix = inputs(300, 7);
    const model = fit(matrix, Float64Array.from(values(matrix, 'x2')), 'regression');
    const kinds = model.encoder.inputs.map((input) => `${input.kind}:${input.feature}`);
    expect(kinds).toEqual(['standardised:0', 'standardised:1', 'category:2', 'category:2', 'category:2', 'standardised:3', 'missing:3']);
  });

  it('reports collinear inputs without a penalty', () => {
    const x = Float64Array.from({ length: 50 }, (_, i) => i);
    const matrix: FeatureMatrix = { rows: 50, columns: [{ name: 'a', kind: 'numeric', values: x }, { name: 'b', kind: 'numeric', values: x.map((v) => 2 * v) }] };
    expect(trainLinear(matrix, x, { objective: 'regression', l2: 0 }).ok).toBe(false);
    expect(trainLinear(matrix, x, { objective: 'regression', l2: 1 }).ok).toBe(true);
  });
});

describe('multinomial logistic baseline', () => {
  it('separates classes that are linear in the inputs', () => {
    const matrix = inputs(3000, 8);
    const x1 = values(matrix, 'x1');
    const x2 = values(matrix, 'x2');
    // Three classes by which of x1, x2 and -(x1 + x2) is largest: linear boundaries.
    const classOf = (r: number): number => {
      const s = [x1[r], x2[r], -(x1[r] + x2[r])];
      return s.indexOf(Math.max(...s));
    };
    const labels = Float64Array.from({ length: matrix.rows }, (_, r) => classOf(r));
    const model = trainLinear(matrix, labels, { objective: 'multiclass', l2: 1e-3 });
    if (!model.ok) throw new Error(model.error);
    expect(model.value.outputs.length).toBe(3);
    const predicted = predictLinear(model.value, matrix);
    if (!predicted.ok) throw new Error(predicted.error);
    const accuracy = predicted.value.reduce((sum, c, r) => sum + (c === labels[r] ? 1 : 0), 0) / matrix.rows;
    expect(accuracy).toBeGreaterThan(0.97);
  });

  it('weights rows: a heavier class is predicted more often', () => {
    const matrix = inputs(1000, 9);
    const random = createRandom(10);
    const labels = Float64Array.from({ length: matrix.rows }, () => (random.next() < 0.5 ? 1 : 0));
    const plain = trainLinear(matrix, labels, { objective: 'binary' });
    const heavy = trainLinear(matrix, labels, { objective: 'binary' }, labels.map((y) => (y === 1 ? 4 : 1)));
    const mean = (m: typeof plain): number => {
      if (!m.ok) throw new Error(m.error);
      const p = predictLinear(m.value, matrix);
      return p.ok ? p.value.reduce((a, b) => a + b, 0) / matrix.rows : NaN;
    };
    expect(mean(heavy)).toBeGreaterThan(mean(plain) + 0.2);
  });
});
