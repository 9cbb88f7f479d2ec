import { Result, err, ok } from '../result';
import { ThresholdMetrics, thresholdMetrics } from './binary-metrics';

/** How the binary decision threshold is chosen: maximum F1, least total cost of errors, or a fixed value. */
export type ThresholdRule =
  | { rule: 'f1' }
  | { rule: 'cost'; falsePositive: number; falseNegative: number }
  | { rule: 'fixed'; threshold: number };

/** The chosen threshold (probability >= threshold is positive), the rule, and the metrics it gives. */
export interface ThresholdChoice {
  rule: ThresholdRule;
  threshold: number;
  metrics: ThresholdMetrics;
  /** For the cost rule: total cost on the rows it was chosen on. */
  cost?: number;
  reason: string;
}

/**
 * Chooses the threshold on (validation) labels and probabilities. Candidates are the distinct probabilities
 * (each a threshold "p >= t"); max-F1 and least-cost ties go to the threshold nearest 0.5.
 */
export function chooseThreshold(labels: Float64Array, probabilities: Float64Array, rule: ThresholdRule): Result<ThresholdChoice> {
  if (labels.length === 0 || labels.length !== probabilities.length) return err('threshold choice needs one probability per label');
  if (rule.rule === 'fixed') {
    if (!(rule.threshold >= 0 && rule.threshold <= 1)) return err(`a fixed threshold must be in [0, 1], got ${rule.threshold}`);
    return ok({ rule, threshold: rule.threshold, metrics: thresholdMetrics(labels, probabilities, rule.threshold), reason: `fixed at ${rule.threshold}` });
  }
  if (rule.rule === 'cost' && !(rule.falsePositive >= 0 && rule.falseNegative >= 0 && rule.falsePositive + rule.falseNegative > 0)) {
    return err('costs must be >= 0 and not both 0');
  }
  const order = Int32Array.from(probabilities, (_, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
  const positives = labels.reduce((sum, y) => sum + (y === 1 ? 1 : 0), 0);
  // Sweep thresholds from high to low: after each group of equal probabilities, that probability is a candidate.
  let truePositives = 0;
  let falsePositives = 0;
  let best = { threshold: 1, score: -Infinity };
  const consider = (threshold: number): void => {
    const falseNegatives = positives - truePositives;
    const score = rule.rule === 'f1'
      ? (2 * truePositives) / Math.max(2 * truePositives + falsePositives + falseNegatives, 1)
      : -(rule.falsePositive * falsePositives + rule.falseNegative * falseNegatives);
    if (score > best.score || (score === best.score && Math.abs(threshold - 0.5) < Math.abs(best.threshold - 0.5))) best = { threshold, score };
  };
  for (let at = 0; at < order.length; ) {
    const p = probabilities[order[at]];
    while (at < order.length && probabilities[order[at]] === p) {
      if (labels[order[at]] === 1) truePositives++;
      else falsePositives++;
      at++;
    }
    consider(p);
  }
  const threshold = best.threshold;
  const metrics = thresholdMetrics(labels, probabilities, best.threshold);
  if (rule.rule === 'f1') return ok({ rule, threshold, metrics, reason: `maximum F1 ${metrics.f1.toFixed(4)} at threshold ${threshold.toFixed(4)}` });
  const cost = -best.score;
  return ok({ rule, threshold, metrics, cost, reason: `least cost ${cost} (false positive ${rule.falsePositive}, false negative ${rule.falseNegative}) at threshold ${threshold.toFixed(4)}` });
}
