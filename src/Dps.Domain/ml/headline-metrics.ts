import { Result, ok } from '../result';
import { evaluateBinary } from './binary-metrics';
import type { CalibrationBin } from './calibration-metrics';
import type { Task } from './feature-pipeline';
import { evaluateRegression } from './regression-metrics';

/** The metrics a registry records and a comparison uses, keyed by their public names. */
export interface HeadlineEvaluation {
  metrics: Record<string, number>;
  calibration?: CalibrationBin[];
}

/** Evaluates predictions: auc, logloss, accuracy, f1, precision, recall, brier, ece (binary at `threshold`) or rmse, mae, r2. */
export function headlineMetrics(task: Task, labels: Float64Array, predictions: Float64Array, threshold = 0.5): Result<HeadlineEvaluation> {
  if (task === 'binary') {
    const e = evaluateBinary(labels, predictions, threshold);
    if (!e.ok) return e;
    const v = e.value;
    return ok({
      metrics: { auc: v.auc, logloss: v.logLoss, accuracy: v.accuracy, f1: v.f1, precision: v.precision, recall: v.recall, brier: v.brier, ece: v.expectedCalibrationError },
      calibration: v.reliability,
    });
  }
  const r = evaluateRegression(labels, predictions);
  if (!r.ok) return r;
  return ok({ metrics: { rmse: r.value.rmse, mae: r.value.mae, r2: r.value.rSquared } });
}
