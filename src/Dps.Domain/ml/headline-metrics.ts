import { Result, err, ok } from '../result';
import { evaluateBinary } from './binary-metrics';
import type { CalibrationBin } from './calibration-metrics';
import { ClassMetrics, evaluateMulticlass } from './multiclass-metrics';
import { evaluateRegression } from './regression-metrics';
import type { Task } from './task-decision';

/** The metrics a registry records and a comparison uses, keyed by their public names. */
export interface HeadlineEvaluation {
  metrics: Record<string, number>;
  calibration?: CalibrationBin[];
  /** Multiclass only: per-class precision/recall/F1/support and confusion[actual][predicted]. */
  perClass?: ClassMetrics[];
  confusion?: number[][];
}

/**
 * Evaluates predictions (as applyLink gives them): auc, logloss, accuracy, f1, precision, recall, brier, ece
 * (binary at `threshold`); accuracy, macro_f1, logloss (multiclass, row-major class probabilities); or rmse, mae, r2.
 */
export function headlineMetrics(task: Task, labels: Float64Array, predictions: Float64Array, threshold = 0.5): Result<HeadlineEvaluation> {
  if (task === 'multiclass') {
    const k = labels.length > 0 ? predictions.length / labels.length : 0;
    if (!Number.isInteger(k) || k < 2) return err(`${predictions.length} probabilities do not make whole rows for ${labels.length} labels`);
    const m = evaluateMulticlass(labels, predictions, k);
    if (!m.ok) return m;
    return ok({ metrics: { accuracy: m.value.accuracy, macro_f1: m.value.macroF1, logloss: m.value.logLoss }, perClass: m.value.perClass, confusion: m.value.confusion });
  }
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
