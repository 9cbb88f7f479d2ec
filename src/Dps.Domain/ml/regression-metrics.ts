import { Result, ok } from '../result';
import { checkPredictionPairs } from './metric-inputs';

/** Root mean squared error. */
export function rmse(labels: Float64Array, predictions: Float64Array): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += (predictions[i] - labels[i]) ** 2;
  return Math.sqrt(total / labels.length);
}

/** Mean absolute error. */
export function mae(labels: Float64Array, predictions: Float64Array): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += Math.abs(predictions[i] - labels[i]);
  return total / labels.length;
}

/** Coefficient of determination 1 - SSres/SStot; NaN when the labels are constant. */
export function rSquared(labels: Float64Array, predictions: Float64Array): number {
  const mean = labels.reduce((sum, y) => sum + y, 0) / labels.length;
  let residual = 0;
  let totalVariation = 0;
  for (let i = 0; i < labels.length; i++) {
    residual += (labels[i] - predictions[i]) ** 2;
    totalVariation += (labels[i] - mean) ** 2;
  }
  return totalVariation === 0 ? NaN : 1 - residual / totalVariation;
}

/** Everything we report for a regression model. */
export interface RegressionEvaluation {
  rows: number;
  rmse: number;
  mae: number;
  rSquared: number;
}

/** Evaluates predictions against real labels; fails on mismatched or non-finite inputs. */
export function evaluateRegression(labels: Float64Array, predictions: Float64Array): Result<RegressionEvaluation> {
  const pairs = checkPredictionPairs(labels, predictions);
  if (!pairs.ok) return pairs;
  return ok({
    rows: labels.length,
    rmse: rmse(labels, predictions),
    mae: mae(labels, predictions),
    rSquared: rSquared(labels, predictions),
  });
}
