import { CalibrationChoice, chooseCalibration } from '../../Dps.Domain/ml/probability-calibration';
import { chooseMulticlassCalibration } from '../../Dps.Domain/ml/temperature-scaling';
import { ThresholdChoice, ThresholdRule, chooseThreshold } from '../../Dps.Domain/ml/decision-threshold';
import type { ClassWeights } from '../../Dps.Domain/ml/class-weights';
import type { LabelledMatrix } from '../../Dps.Domain/ml/feature-matrix';
import { ModelBundle, scoreWithBundle } from '../../Dps.Domain/ml/model-bundle';
import type { ScoringDecisions } from '../../Dps.Domain/registry/model-version';

/** The bundle to register, the decisions as the registry records them, and the full choices for the card's details. */
export interface DecidedBundle {
  bundle: ModelBundle;
  decisions: ScoringDecisions;
  calibration?: CalibrationChoice;
  threshold?: ThresholdChoice;
}

/**
 * Fits the winner's scoring decisions on the validation split: calibration when it improves out-of-fold
 * log-loss and ECE (binary: Platt or isotonic, then the decision threshold by `rule` on the calibrated
 * probabilities; multiclass: a temperature). Regression is scored as the model gives it.
 */
export function decideScoring(winner: ModelBundle, validation: LabelledMatrix, rule: ThresholdRule, weights: ClassWeights, seed: number): DecidedBundle {
  const classWeights = { applied: weights.applied, perClass: weights.perClass, reason: weights.reason };
  const task = winner.model.model.objective;
  if (task === 'regression') return { bundle: winner, decisions: { calibration: { method: 'none', reason: 'regression: no probabilities to calibrate' }, classWeights } };
  if (task === 'multiclass') {
    const scored = scoreWithBundle({ ...winner, calibration: { method: 'none' } }, validation.matrix);
    if (!scored.ok) throw new Error(`scoring the validation split: ${scored.error}`);
    const probabilities = scored.value.probabilities as Float64Array;
    const calibration = chooseMulticlassCalibration(validation.labels, probabilities, probabilities.length / validation.labels.length, seed);
    if (!calibration.ok) throw new Error(`calibration: ${calibration.error}`);
    return {
      bundle: { ...winner, calibration: calibration.value.calibrator },
      decisions: { calibration: { method: calibration.value.calibrator.method, reason: calibration.value.reason }, classWeights },
      calibration: calibration.value,
    };
  }
  const scored = scoreWithBundle({ ...winner, calibration: { method: 'none' } }, validation.matrix);
  if (!scored.ok) throw new Error(`scoring the validation split: ${scored.error}`);
  const raw = scored.value.probability as Float64Array;
  const calibration = chooseCalibration(validation.labels, raw, seed);
  if (!calibration.ok) throw new Error(`calibration: ${calibration.error}`);
  const calibrated = scoreWithBundle({ ...winner, calibration: calibration.value.calibrator }, validation.matrix);
  if (!calibrated.ok) throw new Error(`scoring the validation split: ${calibrated.error}`);
  const threshold = chooseThreshold(validation.labels, calibrated.value.probability as Float64Array, rule);
  if (!threshold.ok) throw new Error(`decision threshold: ${threshold.error}`);
  return {
    bundle: { ...winner, calibration: calibration.value.calibrator, threshold: threshold.value.threshold, thresholdRule: rule },
    decisions: {
      calibration: { method: calibration.value.calibrator.method, reason: calibration.value.reason },
      threshold: { value: threshold.value.threshold, rule: rule.rule === 'fixed' ? `fixed ${rule.threshold}` : rule.rule === 'f1' ? 'maximum F1 on the validation split' : 'least cost on the validation split', reason: threshold.value.reason },
      classWeights,
    },
    calibration: calibration.value,
    threshold: threshold.value,
  };
}
