import { DEFAULT_PSI_THRESHOLDS } from '../drift/psi';
import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';

/** The limits a challenger is held to, against the champion on the same window. */
export interface GateThresholds {
  /** Hard: largest rise of the error rate over the champion's, as a fraction (0.01 = one point). */
  maxErrorRateIncrease: number;
  /** Hard: largest p95 latency as a multiple of the champion's... */
  maxLatencyRatio: number;
  /** ...unless the p95s differ by less than this many ms (the latency histogram's resolution at the low end). */
  latencySlackMs: number;
  /** Soft: largest PSI between the champion's and the challenger's prediction distributions. */
  maxPredictionPsi: number;
  /** Soft: smallest share of mirrored rows on which both versions agree. */
  minAgreement: number;
  /** Labelled rows each version needs before the online metric is judged. */
  minLabels: number;
  /** Hard (binary): largest drop of online AUC (or accuracy) below the champion's. */
  maxMetricDrop: number;
  /** Hard (regression): largest online RMSE as a multiple of the champion's. */
  maxRmseRatio: number;
  /** How long a step held by shift or agreement waits for labels before it rolls back. */
  feedbackWaitSeconds: number;
}

/** Defaults: Flagger-like error and latency limits, PSI's "major shift" level, 100 labels per version, one hour for feedback. */
export const DEFAULT_GATE_THRESHOLDS: GateThresholds = {
  maxErrorRateIncrease: 0.01,
  maxLatencyRatio: 1.5,
  latencySlackMs: 1,
  maxPredictionPsi: DEFAULT_PSI_THRESHOLDS.major,
  minAgreement: 0.9,
  minLabels: 100,
  maxMetricDrop: 0.02,
  maxRmseRatio: 1.05,
  feedbackWaitSeconds: 3600,
};

const RULES: Record<keyof GateThresholds, { min: number; max: number; integer?: boolean }> = {
  maxErrorRateIncrease: { min: 0, max: 1 },
  maxLatencyRatio: { min: 1, max: 1000 },
  latencySlackMs: { min: 0, max: 60_000 },
  maxPredictionPsi: { min: 0, max: 100 },
  minAgreement: { min: 0, max: 1 },
  minLabels: { min: 1, max: 10_000_000, integer: true },
  maxMetricDrop: { min: 0, max: 1 },
  maxRmseRatio: { min: 1, max: 1000 },
  feedbackWaitSeconds: { min: 0, max: 30 * 86_400, integer: true },
};

/**
 * Overrides thresholds from settings or a request (`path` prefixes the field in errors, e.g.
 * `thresholds.minAgreement`); an unknown name or a value outside its range is an error naming it.
 */
export function overrideThresholds(base: GateThresholds, overrides: unknown, path = 'thresholds'): Result<GateThresholds, { field: string; message: string }> {
  if (overrides === undefined) return ok(base);
  if (!isJsonObject(overrides)) return err({ field: path, message: 'must be an object of threshold names to numbers' });
  const out: GateThresholds = { ...base };
  for (const [name, value] of Object.entries(overrides)) {
    const rule = RULES[name as keyof GateThresholds];
    const field = `${path}.${name}`;
    if (!rule) return err({ field, message: `is not a threshold (known: ${Object.keys(RULES).join(', ')})` });
    if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min || value > rule.max || (rule.integer && !Number.isInteger(value))) {
      return err({ field, message: `must be ${rule.integer ? 'a whole number' : 'a number'} from ${rule.min} to ${rule.max}` });
    }
    out[name as keyof GateThresholds] = value;
  }
  return ok(out);
}
