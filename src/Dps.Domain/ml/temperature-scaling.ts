import { Result, err, ok } from '../result';
import { CalibrationBin, expectedCalibrationError, reliabilityBins } from './calibration-metrics';
import { stratifiedHoldout } from './data-split';
import { CalibrationChoice, CalibrationQuality, Calibrator, MIN_LOGLOSS_GAIN } from './probability-calibration';

/** Temperatures searched, as log T: T from e^-3 (sharper) to e^3 (flatter). */
const LOG_T_RANGE: [number, number] = [-3, 3];
const PROBABILITY_FLOOR = 1e-15;

/**
 * Class probabilities (row-major, `k` per row) under a calibrator: a temperature gives softmax(logit / T),
 * computed as p^(1/T) renormalised (the same, since the logits are log p up to a per-row constant); any other
 * calibrator leaves them as they are. The most probable class never changes.
 */
export function calibrateClassProbabilities(calibrator: Calibrator, probabilities: Float64Array, k: number): Float64Array {
  if (calibrator.method !== 'temperature' || calibrator.temperature === 1) return probabilities;
  const inverse = 1 / calibrator.temperature;
  const out = new Float64Array(probabilities.length);
  for (let start = 0; start < probabilities.length; start += k) {
    // Logs shifted by the row's largest, so large 1/T cannot underflow every class to 0.
    let top = -Infinity;
    for (let c = 0; c < k; c++) top = Math.max(top, Math.log(Math.max(probabilities[start + c], PROBABILITY_FLOOR)));
    let total = 0;
    for (let c = 0; c < k; c++) {
      const v = Math.exp((Math.log(Math.max(probabilities[start + c], PROBABILITY_FLOOR)) - top) * inverse);
      out[start + c] = v;
      total += v;
    }
    for (let c = 0; c < k; c++) out[start + c] /= total;
  }
  return out;
}

/** Mean multiclass log-loss of row-major probabilities (clipped to [1e-15, 1]). */
export function multiclassLogLoss(labels: Float64Array, probabilities: Float64Array, k: number): number {
  let total = 0;
  for (let r = 0; r < labels.length; r++) total -= Math.log(Math.max(probabilities[r * k + labels[r]], PROBABILITY_FLOOR));
  return total / labels.length;
}

/** Top-label reliability: each row's largest probability against whether that class was right. */
export function topLabelReliability(labels: Float64Array, probabilities: Float64Array, k: number, bins = 10): CalibrationBin[] {
  const confidence = new Float64Array(labels.length);
  const correct = new Float64Array(labels.length);
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[r * k + c] > probabilities[r * k + best]) best = c;
    confidence[r] = probabilities[r * k + best];
    correct[r] = best === labels[r] ? 1 : 0;
  }
  return reliabilityBins(correct, confidence, bins);
}

/** The temperature with the least log-loss on these rows (golden-section search over log T, in which the loss has one minimum: it is convex in 1/T). */
export function fitTemperature(labels: Float64Array, probabilities: Float64Array, k: number): Calibrator {
  const loss = (logT: number) => multiclassLogLoss(labels, calibrateClassProbabilities({ method: 'temperature', temperature: Math.exp(logT) }, probabilities, k), k);
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [lo, hi] = LOG_T_RANGE;
  let a = hi - ratio * (hi - lo);
  let b = lo + ratio * (hi - lo);
  let fa = loss(a);
  let fb = loss(b);
  while (hi - lo > 1e-4) {
    if (fa <= fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - ratio * (hi - lo);
      fa = loss(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + ratio * (hi - lo);
      fb = loss(b);
    }
  }
  return { method: 'temperature', temperature: Math.exp((lo + hi) / 2) };
}

/**
 * Chooses whether to calibrate multiclass probabilities with a temperature, on the validation split, as
 * chooseCalibration does for binary: judged out of fold (fitted on one stratified half, applied to the other, both
 * ways), chosen only when the out-of-fold log-loss drops by at least MIN_LOGLOSS_GAIN and the top-label ECE is no
 * higher, then refitted on the whole split. Reliability is top-label (confidence against accuracy).
 */
export function chooseMulticlassCalibration(labels: Float64Array, probabilities: Float64Array, k: number, seed: number, bins = 10): Result<CalibrationChoice> {
  if (probabilities.length !== labels.length * k || labels.length < 4) return err(`calibration needs at least 4 validation rows with ${k} probabilities each`);
  const folds = stratifiedHoldout(labels, 0.5, seed);
  if (!folds.ok) return err(`calibration folds: ${folds.error}`);
  const quality = (p: Float64Array): CalibrationQuality => {
    const reliability = topLabelReliability(labels, p, k, bins);
    return { logloss: multiclassLogLoss(labels, p, k), ece: expectedCalibrationError(reliability, labels.length), reliability };
  };
  const before = quality(probabilities);
  const calibrated = new Float64Array(probabilities.length);
  for (const [fitRows, applyRows] of [[folds.value.train, folds.value.holdout], [folds.value.holdout, folds.value.train]]) {
    const calibrator = fitTemperature(pickRows(labels, fitRows, 1), pickRows(probabilities, fitRows, k), k);
    const applied = calibrateClassProbabilities(calibrator, pickRows(probabilities, applyRows, k), k);
    applyRows.forEach((row, i) => calibrated.set(applied.subarray(i * k, (i + 1) * k), row * k));
  }
  const after = quality(calibrated);
  const tried = [{ method: 'none' as const, logloss: before.logloss, ece: before.ece }, { method: 'temperature' as const, logloss: after.logloss, ece: after.ece }];
  if (!(after.logloss <= before.logloss - MIN_LOGLOSS_GAIN && after.ece <= before.ece)) {
    return ok({ calibrator: { method: 'none' }, tried, before, after: before, reason: 'temperature scaling did not lower both the out-of-fold log-loss and top-label ECE; probabilities are used as the model gives them' });
  }
  const calibrator = fitTemperature(labels, probabilities, k);
  const temperature = calibrator.method === 'temperature' ? calibrator.temperature : 1;
  return ok({
    calibrator,
    tried,
    before,
    after,
    reason: `temperature ${temperature.toFixed(3)} lowered the out-of-fold log-loss ${before.logloss.toFixed(4)} -> ${after.logloss.toFixed(4)} and top-label ECE ${before.ece.toFixed(4)} -> ${after.ece.toFixed(4)}`,
  });
}

/** The `width` values of each of `rows`, in that order. */
function pickRows(values: Float64Array, rows: Int32Array, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  rows.forEach((row, i) => out.set(values.subarray(row * width, (row + 1) * width), i * width));
  return out;
}
