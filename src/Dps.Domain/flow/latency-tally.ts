import type { LatencyCount } from './slo-budget';

/**
 * One day's served predictions by latency, per model: `models[model][ms]` predictions whose request
 * took `ms` (whole milliseconds, rounded up). `seen` holds the highest telemetry sequence folded in per
 * hub partition, so a redelivered event is not counted twice.
 */
export interface LatencyTally {
  models: Record<string, Record<string, number>>;
  seen: Record<string, number>;
}

/** A telemetry event as the tally reads it: its model, latency, time and place in the hub. */
export interface ServedPrediction {
  model: string;
  latencyMs: number;
  at: string;
  partition: string;
  sequence: number;
}

/** An empty tally. */
export function emptyTally(): LatencyTally {
  return { models: {}, seen: {} };
}

/** The UTC day (`YYYY-MM-DD`) a prediction counts in. */
export function tallyDay(prediction: Pick<ServedPrediction, 'at'>): string {
  return prediction.at.slice(0, 10);
}

/**
 * Folds predictions into a tally (a new tally; the input is not changed): each one not already seen
 * (sequence above its partition's mark) adds one at its latency. Returns how many were added.
 */
export function foldPredictions(tally: LatencyTally, predictions: readonly ServedPrediction[]): { tally: LatencyTally; added: number } {
  const next: LatencyTally = { models: structuredClone(tally.models), seen: { ...tally.seen } };
  let added = 0;
  for (const p of predictions) {
    if (p.sequence <= (next.seen[p.partition] ?? -1) || !Number.isFinite(p.latencyMs) || p.latencyMs < 0) continue;
    next.seen[p.partition] = p.sequence;
    const counts = (next.models[p.model] ??= {});
    const ms = String(Math.ceil(p.latencyMs));
    counts[ms] = (counts[ms] ?? 0) + 1;
    added++;
  }
  return { tally: next, added };
}

/** The latencies of tallies (days), every model's, as counts for the SLO budget. */
export function tallyLatencies(tallies: readonly LatencyTally[]): LatencyCount[] {
  return tallies.flatMap((t) => Object.values(t.models).flatMap((counts) => Object.entries(counts).map(([ms, count]) => ({ ms: Number(ms), count }))));
}
