import { Attributes, Histogram, Meter, metrics } from '@opentelemetry/api';

/**
 * The line's custom metrics, as the Bicep alerts and the workbook query them (`customMetrics | where
 * name == ...`, dimensions in `customDimensions`). Names are fixed: alerts are bound to them.
 */
export const METRIC_NAMES = {
  quarantineShare: 'dps.quarantine_share',
  rowsPerSecond: 'dps.rows_per_second',
  predictionLatency: 'dps.prediction_latency_ms',
  driftShare: 'dps.drift_share',
  rolloutWeight: 'dps.rollout_weight',
  savings: 'dps.savings',
} as const;

/** Port for the custom metrics a slice records: one call per observation, cheap, never throws. */
export interface AppMetrics {
  /** A validated batch's quarantined rows / rows read (0..1). */
  recordQuarantineShare(share: number, on: { dataset: string }): void;
  /** Rows a stage got through per second (validation: rows read / the activity's time). */
  recordRowsPerSecond(rowsPerSecond: number, on: { dataset: string; stage: string }): void;
  /** One predict request's time; `withinSlo` is set against the predict p99 objective for the alert. */
  recordPredictionLatency(ms: number, on: { model: string; rows: number }): void;
  /** A closed drift window's drifted share of features (0..1). */
  recordDriftShare(share: number, on: { model: string }): void;
  /** A rollout step's traffic percent per alias. */
  recordRolloutWeights(weights: Record<string, number>, on: { model: string; version: number }): void;
  /** Estimated savings of a FinOps run's stops (a dry run's: of the stops it would make). */
  recordSavings(amount: number, on: { dryRun: boolean }): void;
}

type Instruments = Record<keyof typeof METRIC_NAMES, Histogram>;

const DESCRIPTIONS: Record<keyof typeof METRIC_NAMES, [description: string, unit: string]> = {
  quarantineShare: ['Quarantined share of a validated batch (0 to 1)', '1'],
  rowsPerSecond: ['Rows a pipeline stage got through per second', '{row}/s'],
  predictionLatency: ['Time of one predict request', 'ms'],
  driftShare: ['Drifted share of features in a closed drift window (0 to 1)', '1'],
  rolloutWeight: ['Traffic percent of an alias in a rollout step', '%'],
  savings: ['Estimated savings of a FinOps run (hourly cost tags x hours stopped)', '1'],
};

/**
 * The metrics port over OpenTelemetry: histograms (Application Insights keeps each minute's count, sum,
 * min and max per dimension set) from the global meter provider, created on first use so a provider
 * registered at start (`useAzureMonitor`, or a test's reader) is the one used. Without a provider the
 * OpenTelemetry API records nothing, at no cost.
 */
export function openTelemetryMetrics(predictSloMs: number, meter: () => Meter = () => metrics.getMeter('dps')): AppMetrics {
  let instruments: Instruments | undefined;
  const record = (name: keyof Instruments, value: number, attributes: Attributes) => {
    if (!Number.isFinite(value)) return;
    instruments ??= Object.fromEntries(Object.entries(METRIC_NAMES).map(([key, metric]) => {
      const [description, unit] = DESCRIPTIONS[key as keyof Instruments];
      return [key, meter().createHistogram(metric, { description, unit })];
    })) as Instruments;
    instruments[name].record(value, attributes);
  };
  return {
    recordQuarantineShare: (share, { dataset }) => record('quarantineShare', share, { dataset }),
    recordRowsPerSecond: (rate, { dataset, stage }) => record('rowsPerSecond', rate, { dataset, stage }),
    recordPredictionLatency: (ms, { model, rows }) => record('predictionLatency', ms, { model, rows: rowBand(rows), withinSlo: String(ms <= predictSloMs) }),
    recordDriftShare: (share, { model }) => record('driftShare', share, { model }),
    recordRolloutWeights: (weights, { model, version }) => {
      for (const [alias, percent] of Object.entries(weights)) record('rolloutWeight', percent, { model, version: String(version), alias });
    },
    recordSavings: (amount, { dryRun }) => record('savings', amount, { dryRun: String(dryRun) }),
  };
}

/** Request size as a few bands, so the latency dimension stays low-cardinality. */
function rowBand(rows: number): string {
  if (rows <= 1) return '1';
  if (rows <= 10) return '2-10';
  if (rows <= 100) return '11-100';
  return '>100';
}
