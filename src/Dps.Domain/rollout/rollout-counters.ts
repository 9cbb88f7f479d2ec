import { binIndex } from '../data/quantile-bins';
import type { Task } from '../ml/feature-pipeline';

/** Latency bucket edges in ms; bucket i holds [edges[i], edges[i+1]), the last one everything from 10 s up. */
export const LATENCY_EDGES_MS = [0, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000];
/** Score bins for the online AUC: probabilities are counted per 1/100, so AUC is exact up to ties within a bin. */
export const AUC_SCORE_BINS = 100;
/** Prediction-histogram edges for binary models (deciles of the probability); regression models bring their own. */
export const BINARY_PREDICTION_EDGES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Labelled outcomes of one version, kept as sums and histograms so counters from many instances add up. */
export interface OnlineCounts {
  labelled: number;
  /** Binary: rows whose thresholded prediction matched the label. */
  correct: number;
  /** Binary: labelled rows per score bin (AUC_SCORE_BINS), by class. */
  positives: number[];
  negatives: number[];
  /** Regression: sum of squared errors and of their squares (for RMSE and Welch's test on squared error). */
  sumSquaredError: number;
  sumSquaredErrorSquared: number;
}

/** Live counters of one version in one rollout step: mergeable by adding field by field. */
export interface VersionCounters {
  requests: number;
  errors: number;
  /** Per LATENCY_EDGES_MS bucket. */
  latency: number[];
  /** Per prediction bin of the rollout's edges: the distribution PSI compares. */
  predictions: number[];
  /** Rows scored by both this version and the champion, and how many of them agreed. */
  compared: number;
  agreed: number;
  online: OnlineCounts;
}

/** What the serving side observed for one row of one version. */
export type Observation =
  | { kind: 'served'; latencyMs: number; score?: number; error?: boolean }
  | { kind: 'agreement'; agreed: boolean }
  | { kind: 'outcome'; score: number; label: number };

/**
 * How a model's scores are read: its task, decision threshold and prediction-histogram edges. A
 * multiclass score is the predicted class's index, counted on `multiclassEdges` (one bin per class).
 */
export interface ScoreSpec {
  task: Task;
  threshold: number;
  predictionEdges: number[];
}

/**
 * Prediction-histogram edges of a K-class model: class i falls in [i, i + 1), so PSI compares class
 * shares; a last bin [K, K + 1) holds classes the champion does not know (a challenger's new class).
 */
export function multiclassEdges(classes: number): number[] {
  return Array.from({ length: classes + 2 }, (_, i) => i);
}

/** A multiclass prediction as counters read it: its index in the champion's classes, or K for a class the champion does not know. */
export function classIndex(classes: readonly string[], prediction: string): number {
  const i = classes.indexOf(prediction);
  return i < 0 ? classes.length : i;
}

/** Counters with nothing counted, sized for `predictionEdges`. */
export function emptyCounters(predictionEdges: readonly number[]): VersionCounters {
  return {
    requests: 0, errors: 0, latency: new Array(LATENCY_EDGES_MS.length).fill(0), predictions: new Array(Math.max(1, predictionEdges.length - 1)).fill(0),
    compared: 0, agreed: 0,
    online: { labelled: 0, correct: 0, positives: new Array(AUC_SCORE_BINS).fill(0), negatives: new Array(AUC_SCORE_BINS).fill(0), sumSquaredError: 0, sumSquaredErrorSquared: 0 },
  };
}

function latencyBucket(ms: number): number {
  let i = LATENCY_EDGES_MS.length - 1;
  while (i > 0 && !(ms >= LATENCY_EDGES_MS[i])) i--;
  return i;
}

/** Counts a batch of observations (one request's rows, say) into fresh counters, to be merged into the live ones. */
export function countObservations(observations: readonly Observation[], spec: ScoreSpec): VersionCounters {
  const c = emptyCounters(spec.predictionEdges);
  for (const o of observations) {
    if (o.kind === 'served') {
      c.requests++;
      c.latency[latencyBucket(o.latencyMs)]++;
      if (o.error) c.errors++;
      else if (o.score !== undefined && Number.isFinite(o.score)) c.predictions[binIndex(spec.predictionEdges, o.score)]++;
    } else if (o.kind === 'agreement') {
      c.compared++;
      if (o.agreed) c.agreed++;
    } else {
      const online = c.online;
      online.labelled++;
      // Multiclass scores and labels are class indexes: an outcome is right or wrong.
      if (spec.task === 'multiclass') {
        if (o.score === o.label) online.correct++;
      } else if (spec.task === 'binary') {
        if ((o.score >= spec.threshold ? 1 : 0) === o.label) online.correct++;
        const bin = Math.min(AUC_SCORE_BINS - 1, Math.max(0, Math.floor(o.score * AUC_SCORE_BINS)));
        (o.label === 1 ? online.positives : online.negatives)[bin]++;
      } else {
        const squared = (o.score - o.label) ** 2;
        online.sumSquaredError += squared;
        online.sumSquaredErrorSquared += squared * squared;
      }
    }
  }
  return c;
}

const add = (a: number[], b: number[]): number[] => a.map((v, i) => v + (b[i] ?? 0));

/** The sum of two counters of the same version and step (from two instances, or two batches). */
export function mergeCounters(a: VersionCounters, b: VersionCounters): VersionCounters {
  return {
    requests: a.requests + b.requests, errors: a.errors + b.errors, latency: add(a.latency, b.latency), predictions: add(a.predictions, b.predictions),
    compared: a.compared + b.compared, agreed: a.agreed + b.agreed,
    online: {
      labelled: a.online.labelled + b.online.labelled, correct: a.online.correct + b.online.correct,
      positives: add(a.online.positives, b.online.positives), negatives: add(a.online.negatives, b.online.negatives),
      sumSquaredError: a.online.sumSquaredError + b.online.sumSquaredError, sumSquaredErrorSquared: a.online.sumSquaredErrorSquared + b.online.sumSquaredErrorSquared,
    },
  };
}

/** Whether two versions agree on a row: same side of the threshold (binary), the same class (multiclass), or within `tolerance` relative difference (regression). */
export function predictionsAgree(spec: Pick<ScoreSpec, 'task' | 'threshold'>, champion: number, challenger: number, tolerance = 0.1): boolean {
  if (spec.task === 'binary') return champion >= spec.threshold === challenger >= spec.threshold;
  if (spec.task === 'multiclass') return champion === challenger;
  return Math.abs(challenger - champion) <= tolerance * Math.max(1, Math.abs(champion));
}

/** The 95th percentile latency in ms, interpolated within its bucket; NaN before any request. */
export function p95LatencyMs(c: VersionCounters): number {
  const total = c.latency.reduce((a, b) => a + b, 0);
  if (total === 0) return NaN;
  const target = 0.95 * total;
  let below = 0;
  for (let i = 0; i < c.latency.length; i++) {
    if (below + c.latency[i] >= target) {
      const lower = LATENCY_EDGES_MS[i];
      // The open last bucket reports its lower edge: there is nothing to interpolate towards.
      const upper = LATENCY_EDGES_MS[i + 1] ?? lower;
      return lower + ((target - below) / c.latency[i]) * (upper - lower);
    }
    below += c.latency[i];
  }
  return LATENCY_EDGES_MS[LATENCY_EDGES_MS.length - 1];
}

/** Errors per request; NaN before any request. */
export function errorRate(c: VersionCounters): number {
  return c.requests === 0 ? NaN : c.errors / c.requests;
}

/** The online metric from labelled outcomes: AUC when both classes were labelled, else accuracy (binary); accuracy (multiclass); RMSE (regression). */
export function onlineMetric(c: VersionCounters, task: Task): { name: 'auc' | 'accuracy' | 'rmse'; value: number; labelled: number } {
  const o = c.online;
  if (task === 'regression') return { name: 'rmse', value: o.labelled === 0 ? NaN : Math.sqrt(o.sumSquaredError / o.labelled), labelled: o.labelled };
  const p = o.positives.reduce((a, b) => a + b, 0);
  const n = o.negatives.reduce((a, b) => a + b, 0);
  if (p === 0 || n === 0) return { name: 'accuracy', value: o.labelled === 0 ? NaN : o.correct / o.labelled, labelled: o.labelled };
  return { name: 'auc', value: binnedAuc(o.positives, o.negatives, p, n), labelled: o.labelled };
}

/** Mann-Whitney AUC over score bins: a positive beats every negative in a lower bin and half of those in its own. */
function binnedAuc(positives: number[], negatives: number[], p: number, n: number): number {
  let negativesBelow = 0;
  let wins = 0;
  for (let i = 0; i < positives.length; i++) {
    wins += positives[i] * (negativesBelow + negatives[i] / 2);
    negativesBelow += negatives[i];
  }
  return wins / (p * n);
}
