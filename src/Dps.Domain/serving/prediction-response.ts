import type { Task } from '../ml/feature-pipeline';

/** The class names of a binary label, when known (the positive class from the pipeline, the other from the contract). */
export interface BinaryClasses {
  positive: string;
  negative: string;
}

/** What one score means to a caller: the prediction, and for binary models the positive-class probability. */
export interface ScoreOutcome {
  prediction: number | string;
  probability?: number;
  probabilities?: Record<string, number>;
}

/** One row's answer as DESIGN.md fixes it; optional fields are absent, never undefined. */
export interface ServedPrediction extends ScoreOutcome {
  version: number;
  alias: string;
  contributions?: Record<string, number>;
  entity?: string;
}

/** The body of a predict response. */
export interface PredictionResponse {
  model: string;
  requestId: string;
  predictions: ServedPrediction[];
}

/**
 * Turns a model output into an outcome. Binary: the probability, and as prediction the class name at
 * `probability >= threshold` when the class names are known, else 1/0. Regression: the value itself.
 */
export function outcomeOf(task: Task, score: number, threshold: number, classes?: BinaryClasses): ScoreOutcome {
  if (task === 'regression') return { prediction: score };
  const positive = score >= threshold;
  if (!classes) return { prediction: positive ? 1 : 0, probability: score };
  return {
    prediction: positive ? classes.positive : classes.negative,
    probability: score,
    probabilities: { [classes.negative]: 1 - score, [classes.positive]: score },
  };
}

/** One served row: the version and alias that answered, its outcome, and its entity and contributions when present. */
export function servedPrediction(served: { alias: string; version: number }, outcome: ScoreOutcome, entity?: string, contributions?: Record<string, number>): ServedPrediction {
  const row: ServedPrediction = { version: served.version, alias: served.alias, prediction: outcome.prediction };
  if (outcome.probability !== undefined) row.probability = outcome.probability;
  if (outcome.probabilities !== undefined) row.probabilities = outcome.probabilities;
  if (contributions !== undefined) row.contributions = contributions;
  if (entity !== undefined) row.entity = entity;
  return row;
}

/** The predict response body, rows in request order. */
export function predictionResponse(model: string, requestId: string, predictions: ServedPrediction[]): PredictionResponse {
  return { model, requestId, predictions };
}
