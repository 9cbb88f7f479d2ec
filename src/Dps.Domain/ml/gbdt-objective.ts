import { Result, err, ok } from '../result';
import { GbdtObjective } from './gbdt-params';

/**
 * The loss a boosted model minimises, on raw (pre-link) scores. Scores, gradients and hessians of a model with
 * K outputs are laid out class-major: output k of row i sits at k * rows + i. Weights (null: all 1) scale each
 * row's share of the loss.
 */
export interface Objective {
  /** Raw scores per row (1, or the class count for multiclass). */
  outputs: number;
  /** Constant starting scores, one per output (boost from the average). */
  initScores(labels: Float64Array, weights: Float64Array | null): Float64Array;
  /**
   * Writes first and second derivatives of the loss for every row and output, and returns the weighted mean loss
   * at these scores (equal to meanLoss; computed in the same pass, where it costs a fraction of a second pass).
   */
  gradients(labels: Float64Array, scores: Float64Array, weights: Float64Array | null, grad: Float64Array, hess: Float64Array): number;
  /** Weighted mean loss over all rows. */
  meanLoss(labels: Float64Array, scores: Float64Array, weights: Float64Array | null): number;
}

/** The loss functions of an objective; `numClasses` matters for multiclass only. */
export function objectiveFor(objective: GbdtObjective, numClasses: number): Objective {
  if (objective === 'binary') return binaryLogLoss;
  return objective === 'multiclass' ? softmaxLogLoss(numClasses) : squaredError;
}

/**
 * Checks labels suit the objective: 0/1 for binary (both present when `needAllClasses`), whole numbers in
 * 0..numClasses-1 for multiclass (each present when `needAllClasses` is set and numClasses is known).
 */
export function checkLabels(objective: GbdtObjective, labels: Float64Array, needAllClasses: boolean, numClasses = 0): Result<Float64Array> {
  if (objective === 'regression') return ok(labels);
  if (objective === 'multiclass') {
    const seen = new Set<number>();
    for (const label of labels) {
      if (!Number.isInteger(label) || label < 0 || (numClasses > 0 && label >= numClasses)) {
        return err(`multiclass labels must be whole numbers in 0..${numClasses > 0 ? numClasses - 1 : 'K-1'}, found ${label}`);
      }
      seen.add(label);
    }
    if (needAllClasses && seen.size < 2) return err('multiclass labels need at least two classes');
    return ok(labels);
  }
  let positives = 0;
  for (const label of labels) {
    if (label !== 0 && label !== 1) return err(`binary labels must be 0 or 1, found ${label}`);
    positives += label;
  }
  if (needAllClasses && (positives === 0 || positives === labels.length)) return err('binary labels need both classes');
  return ok(labels);
}

/** Classes of multiclass labels 0..K-1: the largest label + 1. */
export function classCount(labels: Float64Array): number {
  let max = 0;
  for (const label of labels) if (label > max) max = label;
  return max + 1;
}

/** The logistic function. */
export function sigmoid(raw: number): number {
  return 1 / (1 + Math.exp(-raw));
}

/** Softmax of `raw[offset .. offset + k)` into `out[offset ..]`, shifted by the max so it cannot overflow. */
export function softmaxInto(raw: ArrayLike<number>, out: Float64Array, offset: number, k: number): void {
  let max = -Infinity;
  for (let c = 0; c < k; c++) max = Math.max(max, raw[offset + c]);
  let total = 0;
  for (let c = 0; c < k; c++) {
    const e = Math.exp(raw[offset + c] - max);
    out[offset + c] = e;
    total += e;
  }
  for (let c = 0; c < k; c++) out[offset + c] /= total;
}

const weightOf = (weights: Float64Array | null, i: number): number => (weights === null ? 1 : weights[i]);

function totalWeight(weights: Float64Array | null, rows: number): number {
  if (weights === null) return rows;
  let total = 0;
  for (const w of weights) total += w;
  return total;
}

const binaryLogLoss: Objective = {
  outputs: 1,
  initScores(labels, weights) {
    let positive = 0;
    for (let i = 0; i < labels.length; i++) positive += weightOf(weights, i) * labels[i];
    const mean = positive / totalWeight(weights, labels.length);
    return Float64Array.of(Math.log(mean / (1 - mean)));
  },
  gradients(labels, scores, weights, grad, hess) {
    let loss = 0;
    for (let i = 0; i < labels.length; i++) {
      const s = scores[i];
      // One exp serves the probability and the loss: e = e^-|s|, p = 1/(1+e) or e/(1+e), loss = softplus(±s).
      const e = Math.exp(-Math.abs(s));
      const p = s >= 0 ? 1 / (1 + e) : e / (1 + e);
      const w = weightOf(weights, i);
      grad[i] = w * (p - labels[i]);
      hess[i] = w * Math.max(p * (1 - p), 1e-16);
      const signed = labels[i] === 1 ? -s : s;
      loss += w * ((signed > 0 ? signed : 0) + Math.log1p(e));
    }
    return loss / totalWeight(weights, labels.length);
  },
  meanLoss(labels, scores, weights) {
    let total = 0;
    // log(1 + e^-s) for positives, log(1 + e^s) for negatives, written to stay finite for large |s|.
    for (let i = 0; i < labels.length; i++) total += weightOf(weights, i) * softplus(labels[i] === 1 ? -scores[i] : scores[i]);
    return total / totalWeight(weights, labels.length);
  },
};

/** Softmax cross-entropy; the hessian carries LightGBM's K / (K - 1) factor. */
function softmaxLogLoss(k: number): Objective {
  const factor = k / (k - 1);
  return {
    outputs: k,
    initScores(labels, weights) {
      const counts = new Float64Array(k);
      for (let i = 0; i < labels.length; i++) counts[labels[i]] += weightOf(weights, i);
      const total = totalWeight(weights, labels.length);
      // A class absent from training gets a tiny prior instead of log(0).
      return counts.map((count) => Math.log(Math.max(count / total, 1e-6)));
    },
    gradients(labels, scores, weights, grad, hess) {
      const rows = labels.length;
      const p = new Float64Array(k);
      let loss = 0;
      for (let i = 0; i < rows; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, scores[c * rows + i]);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += p[c] = Math.exp(scores[c * rows + i] - max);
        const w = weightOf(weights, i);
        for (let c = 0; c < k; c++) {
          const q = p[c] / sum;
          grad[c * rows + i] = w * (q - (labels[i] === c ? 1 : 0));
          hess[c * rows + i] = w * Math.max(factor * q * (1 - q), 1e-16);
        }
        loss += w * (max + Math.log(sum) - scores[labels[i] * rows + i]);
      }
      return loss / totalWeight(weights, rows);
    },
    meanLoss(labels, scores, weights) {
      const rows = labels.length;
      let total = 0;
      for (let i = 0; i < rows; i++) {
        let max = -Infinity;
        for (let c = 0; c < k; c++) max = Math.max(max, scores[c * rows + i]);
        let sum = 0;
        for (let c = 0; c < k; c++) sum += Math.exp(scores[c * rows + i] - max);
        total += weightOf(weights, i) * (max + Math.log(sum) - scores[labels[i] * rows + i]);
      }
      return total / totalWeight(weights, rows);
    },
  };
}

const squaredError: Objective = {
  outputs: 1,
  initScores(labels, weights) {
    let sum = 0;
    for (let i = 0; i < labels.length; i++) sum += weightOf(weights, i) * labels[i];
    return Float64Array.of(sum / totalWeight(weights, labels.length));
  },
  gradients(labels, scores, weights, grad, hess) {
    let loss = 0;
    for (let i = 0; i < labels.length; i++) {
      const w = weightOf(weights, i);
      const residual = scores[i] - labels[i];
      grad[i] = w * residual;
      hess[i] = w;
      loss += w * residual * residual;
    }
    return loss / totalWeight(weights, labels.length);
  },
  meanLoss(labels, scores, weights) {
    let total = 0;
    for (let i = 0; i < labels.length; i++) total += weightOf(weights, i) * (scores[i] - labels[i]) ** 2;
    return total / totalWeight(weights, labels.length);
  },
};

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
