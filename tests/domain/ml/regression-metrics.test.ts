import { describe, expect, it } from 'vitest';
import { evaluateRegression, mae, rSquared, rmse } from '../../../src/Dps.Domain/ml/regression-metrics';

const f = (...values: number[]): Float64Array => Float64Array.from(values);

describe('regression metrics against hand-computed cases', () => {
  const labels = f(1, 2, 3, 4);
  const predictions = f(1, 2, 3, 5);

  it('RMSE, MAE and R²', () => {
    expect(rmse(labels, predictions)).toBe(0.5);
    expect(mae(labels, predictions)).toBe(0.25);
    // SSres = 1, SStot = 5.
    expect(rSquared(labels, predictions)).toBeCloseTo(0.8, 12);
    expect(rSquared(f(2, 2), f(1, 3))).toBeNaN();
  });

  it('evaluateRegression checks its inputs', () => {
    const report = evaluateRegression(labels, predictions);
    expect(report.ok && report.value).toMatchObject({ rows: 4, rmse: 0.5, mae: 0.25 });
    expect(evaluateRegression(labels, f(1)).ok).toBe(false);
    expect(evaluateRegression(f(), f()).ok).toBe(false);
    expect(evaluateRegression(f(1, NaN), f(1, 2)).ok).toBe(false);
  });
});
