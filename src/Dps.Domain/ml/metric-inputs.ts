import { Result, err, ok } from '../result';

/** Checks labels and predictions pair up: same non-zero length, finite numbers. */
export function checkPredictionPairs(labels: Float64Array, predictions: Float64Array): Result<number> {
  if (labels.length === 0) return err('no rows to evaluate');
  if (labels.length !== predictions.length) return err(`${labels.length} labels but ${predictions.length} predictions`);
  for (let i = 0; i < labels.length; i++) {
    if (!Number.isFinite(labels[i]) || !Number.isFinite(predictions[i])) return err(`row ${i} holds a non-finite value`);
  }
  return ok(labels.length);
}
