/** Count, total and spread of a set of durations (or any non-negative amounts); null where there are none. */
export interface DurationSummary {
  count: number;
  totalMs: number;
  meanMs: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** The nearest-rank percentile (p in (0, 100]) of ascending values; null for none. */
export function percentile(ascending: readonly number[], p: number): number | null {
  if (ascending.length === 0) return null;
  return ascending[Math.max(0, Math.ceil((p / 100) * ascending.length) - 1)];
}

/** Summarises durations in milliseconds. */
export function summarizeDurations(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b);
  const totalMs = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    totalMs,
    meanMs: sorted.length === 0 ? null : totalMs / sorted.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.length === 0 ? null : sorted[sorted.length - 1],
  };
}
