import { describe, expect, it } from 'vitest';
import { headlineMetrics } from '../../../src/Dps.Domain/ml/headline-metrics';
import { evaluateMulticlass } from '../../../src/Dps.Domain/ml/multiclass-metrics';
import { gbdtDefaultsFor } from '../../../src/Dps.Domain/ml/small-data-defaults';

const labels = Float64Array.of(0, 0, 1, 1, 2, 2);
// Predicted classes 0, 1, 1, 2, 2, 2: four right, one class-0 row called 1, one class-1 row called 2.
const probabilities = Float64Array.of(0.7, 0.2, 0.1, 0.2, 0.5, 0.3, 0.1, 0.8, 0.1, 0.3, 0.3, 0.4, 0.2, 0.2, 0.6, 0.1, 0.1, 0.8);

describe('multiclass metrics (values as scikit-learn 1.2 gives them for the same rows)', () => {
  it('accuracy, macro-F1, log-loss, per-class precision/recall and the confusion matrix', () => {
    const result = evaluateMulticlass(labels, probabilities, 3);
    if (!result.ok) throw new Error(result.error);
    const m = result.value;
    expect(m.accuracy).toBeCloseTo(4 / 6, 15);
    expect(m.macroF1).toBeCloseTo(0.6555555555555556, 15);
    expect(m.logLoss).toBeCloseTo(0.6878663978488632, 15);
    expect(m.perClass.map((c) => c.precision)).toEqual([1, 0.5, 2 / 3]);
    expect(m.perClass.map((c) => c.recall)).toEqual([0.5, 0.5, 1]);
    expect(m.confusion).toEqual([[1, 1, 0], [0, 1, 1], [0, 0, 2]]);
    const headline = headlineMetrics('multiclass', labels, probabilities);
    expect(headline.ok && Object.keys(headline.value.metrics)).toEqual(['accuracy', 'macro_f1', 'logloss']);
  });

  it('refuses rows that do not fit', () => {
    expect(evaluateMulticlass(labels, probabilities.subarray(1), 3).ok).toBe(false);
    expect(evaluateMulticlass(Float64Array.of(0, 3), Float64Array.of(0.5, 0.5, 0, 0.5, 0.5, 0), 3).ok).toBe(false);
    expect(headlineMetrics('multiclass', labels, probabilities.subarray(1)).ok).toBe(false);
  });
});

describe('GBDT defaults by training rows', () => {
  it('shrink trees for small data and leave large data at the plain defaults', () => {
    expect([1000, 2000, 3999, 4000, 5000, 8000, 9999].map((rows) => gbdtDefaultsFor('binary', rows).numLeaves)).toEqual([4, 4, 4, 4, 4, 8, 8]);
    expect(gbdtDefaultsFor('binary', 10_000)).toEqual({ objective: 'binary' });
  });
});
