import { Result, err, ok } from '../result';
import { GbdtObjective } from './gbdt-params';

/** The loss a boosted model minimises, on raw (pre-link) scores. */
export interface Objective {
  /** Constant starting score (boost from the average). */
  initScore(labels: Float64Array): number;
  /** Writes first and second derivatives of the loss for every row. */
  gradients(labels: Float64Array, scores: Float64Array, grad: Float64Array, hess: Float64Array): void;
  /** Mean loss over all rows. */
  meanLoss(labels: Float64Array, scores: Float64Array): number;
  /** Raw score to output: a probability for binary, unchanged for regression. */
  transform(raw: number): number;
}

/** The loss functions of an objective. */
export function objectiveFor(objective: GbdtObjective): Objective {
  return objective === 'binary' ? binaryLogLoss : squaredError;
}

/** Checks labels suit the objective: 0/1 for binary, with both classes present when `needBothClasses`. */
export function checkLabels(objective: GbdtObjective, labels: Float64Array, needBothClasses: boolean): Result<Float64Array> {
  if (objective === 'regression') return ok(labels);
  let positives = 0;
  for (const label of labels) {
    if (label !== 0 && label !== 1) return err(`binary labels must be 0 or 1, found ${label}`);
    positives += label;
  }
  if (needBothClasses && (positives === 0 || positives === labels.length)) return err('binary labels need both classes');
  return ok(labels);
}

/** The logistic function. */
export function sigmoid(raw: number): number {
  return 1 / (1 + Math.exp(-raw));
}

const binaryLogLoss: Objective = {
  initScore(labels) {
    const mean = labels.reduce((sum, y) => sum + y, 0) / labels.length;
    return Math.log(mean / (1 - mean));
  },
  gradients(labels, scores, grad, hess) {
    for (let i = 0; i < labels.length; i++) {
      const p = sigmoid(scores[i]);
      grad[i] = p - labels[i];
      hess[i] = Math.max(p * (1 - p), 1e-16);
    }
  },
  meanLoss(labels, scores) {
    let total = 0;
    // log(1 + e^-s) for positives, log(1 + e^s) for negatives, written to stay finite for large |s|.
    for (let i = 0; i < labels.length; i++) total += softplus(labels[i] === 1 ? -scores[i] : scores[i]);
    return total / labels.length;
  },
  transform: sigmoid,
};

const squaredError: Objective = {
  initScore(labels) {
    return labels.reduce((sum, y) => sum + y, 0) / labels.length;
  },
  gradients(labels, scores, grad, hess) {
    for (let i = 0; i < labels.length; i++) {
      grad[i] = scores[i] - labels[i];
      hess[i] = 1;
    }
  },
  meanLoss(labels, scores) {
    let total = 0;
    for (let i = 0; i < labels.length; i++) total += (scores[i] - labels[i]) ** 2;
    return total / labels.length;
  },
  transform: (raw) => raw,
};

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}
