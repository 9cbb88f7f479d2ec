import { Result, err, ok } from '../result';
import { logLoss } from './binary-metrics';
import { CalibrationBin, expectedCalibrationError, reliabilityBins } from './calibration-metrics';
import { stratifiedHoldout } from './data-split';
import { sigmoid } from './gbdt-objective';

/** A map from a model's probability to a calibrated one; plain JSON, stored in the model bundle. */
export type Calibrator =
  | { method: 'none' }
  /** sigmoid(a * logit(p) + b). */
  | { method: 'platt'; a: number; b: number }
  /** Piecewise-linear through (x[i], y[i]), non-decreasing, flat outside [x[0], x[last]]. */
  | { method: 'isotonic'; x: number[]; y: number[] }
  /** Multiclass: softmax(logits / temperature), i.e. each row's probabilities to the power 1/temperature, renormalised. */
  | { method: 'temperature'; temperature: number };

/** Quality of a set of probabilities. */
export interface CalibrationQuality {
  logloss: number;
  ece: number;
  reliability: CalibrationBin[];
}

/** What calibration was chosen, why, and the reliability diagram before and after. */
export interface CalibrationChoice {
  calibrator: Calibrator;
  /** Out-of-fold quality of each method tried, 'none' first. */
  tried: { method: Calibrator['method']; logloss: number; ece: number }[];
  before: CalibrationQuality;
  /** Out-of-fold quality of the chosen method (equal to before when none was chosen). */
  after: CalibrationQuality;
  reason: string;
}

/** Least out-of-fold log-loss drop that counts as an improvement, so noise on calibrated probabilities does not pick a method. */
export const MIN_LOGLOSS_GAIN = 1e-3;
/** Isotonic outputs stay inside [ISOTONIC_FLOOR, 1 - ISOTONIC_FLOOR], so one surprise cannot cost an unbounded log-loss. */
const ISOTONIC_FLOOR = 1e-4;
const LOGIT_CLIP = 1e-12;

/** A calibrated binary probability (a temperature, for multiclass rows, leaves it as it is: see calibrateClassProbabilities). */
export function applyCalibrator(calibrator: Calibrator, p: number): number {
  if (calibrator.method === 'platt') return sigmoid(calibrator.a * logit(p) + calibrator.b);
  if (calibrator.method === 'none' || calibrator.method === 'temperature') return p;
  const { x, y } = calibrator;
  if (p <= x[0]) return y[0];
  if (p >= x[x.length - 1]) return y[y.length - 1];
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= p) lo = mid;
    else hi = mid;
  }
  return x[hi] === x[lo] ? y[hi] : y[lo] + ((y[hi] - y[lo]) * (p - x[lo])) / (x[hi] - x[lo]);
}

/** Platt scaling: logistic regression of the label on logit(p), by Newton's method with a tiny ridge for separable data. */
export function fitPlatt(labels: Float64Array, probabilities: Float64Array): Calibrator {
  let a = 1;
  let b = 0;
  const z = probabilities.map(logit);
  for (let iteration = 0; iteration < 50; iteration++) {
    let ga = 1e-6 * (a - 1);
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < labels.length; i++) {
      const q = sigmoid(a * z[i] + b);
      const w = Math.max(q * (1 - q), 1e-12);
      ga += (q - labels[i]) * z[i];
      gb += q - labels[i];
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/** Isotonic regression of the label on p (pool adjacent violators), kept as the block means. */
export function fitIsotonic(labels: Float64Array, probabilities: Float64Array): Calibrator {
  const order = Int32Array.from(probabilities, (_, i) => i).sort((i, j) => probabilities[i] - probabilities[j]);
  const sumX: number[] = [];
  const sumY: number[] = [];
  const count: number[] = [];
  for (const i of order) {
    sumX.push(probabilities[i]);
    sumY.push(labels[i]);
    count.push(1);
    // Merge backwards while the block means decrease.
    while (count.length > 1 && sumY[sumY.length - 2] / count[count.length - 2] >= sumY[sumY.length - 1] / count[count.length - 1]) {
      const y = sumY.pop() as number;
      const x = sumX.pop() as number;
      const c = count.pop() as number;
      sumY[sumY.length - 1] += y;
      sumX[sumX.length - 1] += x;
      count[count.length - 1] += c;
    }
  }
  const clip = (v: number): number => Math.min(1 - ISOTONIC_FLOOR, Math.max(ISOTONIC_FLOOR, v));
  return { method: 'isotonic', x: sumX.map((s, k) => s / count[k]), y: sumY.map((s, k) => clip(s / count[k])) };
}

/**
 * Chooses the calibration of binary probabilities on the validation split. Each method (Platt, isotonic) is
 * judged out of fold: fitted on one half of the split and applied to the other, both ways (stratified, seeded),
 * so a method is not credited for memorising the rows it is scored on. A method is chosen only when its
 * out-of-fold log-loss is lower than the uncalibrated one by at least MIN_LOGLOSS_GAIN and its ECE is no
 * higher; of those, the lowest
 * log-loss wins. The chosen method is then refitted on the whole split.
 */
export function chooseCalibration(labels: Float64Array, probabilities: Float64Array, seed: number, bins = 10): Result<CalibrationChoice> {
  if (labels.length !== probabilities.length || labels.length < 4) return err('calibration needs at least 4 validation rows with one probability each');
  const folds = stratifiedHoldout(labels, 0.5, seed);
  if (!folds.ok) return err(`calibration folds: ${folds.error}`);
  const quality = (p: Float64Array): CalibrationQuality => {
    const reliability = reliabilityBins(labels, p, bins);
    return { logloss: logLoss(labels, p), ece: expectedCalibrationError(reliability, labels.length), reliability };
  };
  const before = quality(probabilities);
  const fitters: [Calibrator['method'], typeof fitPlatt][] = [['platt', fitPlatt], ['isotonic', fitIsotonic]];
  const outOfFold = fitters.map(([method, fit]) => {
    const calibrated = new Float64Array(labels.length);
    for (const [fitRows, applyRows] of [[folds.value.train, folds.value.holdout], [folds.value.holdout, folds.value.train]]) {
      const calibrator = fit(pick(labels, fitRows), pick(probabilities, fitRows));
      for (const i of applyRows) calibrated[i] = applyCalibrator(calibrator, probabilities[i]);
    }
    return { method, fit, quality: quality(calibrated) };
  });
  const tried = [{ method: 'none' as const, logloss: before.logloss, ece: before.ece }, ...outOfFold.map((o) => ({ method: o.method, logloss: o.quality.logloss, ece: o.quality.ece }))];
  const better = outOfFold.filter((o) => o.quality.logloss <= before.logloss - MIN_LOGLOSS_GAIN && o.quality.ece <= before.ece).sort((x, y) => x.quality.logloss - y.quality.logloss);
  if (better.length === 0) {
    return ok({ calibrator: { method: 'none' }, tried, before, after: before, reason: 'no method lowered both the out-of-fold log-loss and ECE; probabilities are used as the model gives them' });
  }
  const best = better[0];
  return ok({
    calibrator: best.fit(labels, probabilities),
    tried,
    before,
    after: best.quality,
    reason: `${best.method} lowered the out-of-fold log-loss ${before.logloss.toFixed(4)} -> ${best.quality.logloss.toFixed(4)} and ECE ${before.ece.toFixed(4)} -> ${best.quality.ece.toFixed(4)}`,
  });
}

function pick(values: Float64Array, rows: Int32Array): Float64Array {
  return Float64Array.from(rows, (i) => values[i]);
}

function logit(p: number): number {
  const q = Math.min(Math.max(p, LOGIT_CLIP), 1 - LOGIT_CLIP);
  return Math.log(q / (1 - q));
}
