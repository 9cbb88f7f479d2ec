import { Result, err, ok } from '../result';
import { CalibrationBin, brierScore, expectedCalibrationError, reliabilityBins } from './calibration-metrics';
import { checkPredictionPairs } from './metric-inputs';

/** Area under the ROC curve from ranks (Mann-Whitney U); tied scores count one half. NaN if a class is absent. */
export function auc(labels: Float64Array, scores: Float64Array): number {
  const order = Int32Array.from(scores, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && scores[order[end + 1]] === scores[order[start]]) end++;
    // Ranks are 1-based; a tie group shares the mean of its ranks.
    const meanRank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) {
      if (labels[order[i]] === 1) {
        positives++;
        positiveRankSum += meanRank;
      }
    }
    start = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean binary log-loss; probabilities are clipped to [1e-15, 1 - 1e-15] so a confident miss stays finite. */
export function logLoss(labels: Float64Array, probabilities: Float64Array): number {
  const eps = 1e-15;
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const p = Math.min(Math.max(probabilities[i], eps), 1 - eps);
    total -= labels[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return total / labels.length;
}

/** Counts of a binary classification at a threshold (score >= threshold is positive). */
export interface ConfusionCounts {
  truePositives: number;
  falsePositives: number;
  trueNegatives: number;
  falseNegatives: number;
}

/** Quality of hard decisions at a threshold; a ratio with a zero denominator is 0 (scikit-learn's zero_division=0). */
export interface ThresholdMetrics extends ConfusionCounts {
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Accuracy, precision, recall and F1 when scores >= threshold are called positive. */
export function thresholdMetrics(labels: Float64Array, scores: Float64Array, threshold: number): ThresholdMetrics {
  const counts: ConfusionCounts = { truePositives: 0, falsePositives: 0, trueNegatives: 0, falseNegatives: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predicted = scores[i] >= threshold;
    if (labels[i] === 1) predicted ? counts.truePositives++ : counts.falseNegatives++;
    else predicted ? counts.falsePositives++ : counts.trueNegatives++;
  }
  const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
  const precision = ratio(counts.truePositives, counts.truePositives + counts.falsePositives);
  const recall = ratio(counts.truePositives, counts.truePositives + counts.falseNegatives);
  return {
    ...counts,
    threshold,
    accuracy: (counts.truePositives + counts.trueNegatives) / labels.length,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
  };
}

/** Everything we report for a binary classifier. */
export interface BinaryEvaluation extends ThresholdMetrics {
  rows: number;
  positives: number;
  auc: number;
  logLoss: number;
  brier: number;
  expectedCalibrationError: number;
  reliability: CalibrationBin[];
}

/** Evaluates probabilities against 0/1 labels; fails on mismatched inputs, non-binary labels or a single class. */
export function evaluateBinary(
  labels: Float64Array,
  probabilities: Float64Array,
  threshold = 0.5,
  calibrationBins = 10,
): Result<BinaryEvaluation> {
  const pairs = checkPredictionPairs(labels, probabilities);
  if (!pairs.ok) return pairs;
  if (labels.some((y) => y !== 0 && y !== 1)) return err('labels must be 0 or 1');
  if (probabilities.some((p) => p < 0 || p > 1)) return err('probabilities must lie in [0, 1]');
  const positives = labels.reduce((sum, y) => sum + y, 0);
  if (positives === 0 || positives === labels.length) return err('both classes are needed to evaluate');
  const reliability = reliabilityBins(labels, probabilities, calibrationBins);
  return ok({
    rows: labels.length,
    positives,
    auc: auc(labels, probabilities),
    logLoss: logLoss(labels, probabilities),
    brier: brierScore(labels, probabilities),
    expectedCalibrationError: expectedCalibrationError(reliability, labels.length),
    reliability,
    ...thresholdMetrics(labels, probabilities, threshold),
  });
}
