/** How many events took `ms`: latencies as a histogram at whatever resolution their source keeps. */
export interface LatencyCount {
  ms: number;
  count: number;
}

/** Latencies as counts of one each. */
export function eachOnce(latenciesMs: readonly number[]): LatencyCount[] {
  return latenciesMs.map((ms) => ({ ms, count: 1 }));
}

/** One SLO's error budget: how many bad events it allows, how many happened, what is left. */
export interface ErrorBudget {
  slo: 'pipeline-lead-time-p95' | 'predict-latency-p99' | 'availability';
  objective: string;
  /** Share of events that must be good. */
  target: number;
  /** A latency SLO's threshold. */
  thresholdMs?: number;
  total: number;
  bad: number;
  allowedBad: number;
  /** 1 - bad / allowed: 1 untouched, 0 spent, below 0 overspent; null when there were no events. */
  remaining: number | null;
  met: boolean;
  /** The measured percentile (ms) or availability; null when there were no events. */
  observed: number | null;
}

function budget(slo: ErrorBudget['slo'], objective: string, target: number, total: number, bad: number, observed: number | null): ErrorBudget {
  const allowedBad = total * (1 - target);
  // target < 1, so any event allows some bad ones.
  const remaining = total === 0 ? null : 1 - bad / allowedBad;
  return { slo, objective, target, total, bad, allowedBad, remaining, met: bad <= allowedBad, observed };
}

/** The nearest-rank percentile (p in (0, 100]) of counted latencies; null for none. */
function countedPercentile(ascending: readonly LatencyCount[], total: number, p: number): number | null {
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const { ms, count } of ascending) {
    seen += count;
    if (seen >= rank) return ms;
  }
  return null;
}

/** A latency SLO "p-th percentile within thresholdMs": events over the threshold spend the budget. */
export function latencyBudget(slo: 'pipeline-lead-time-p95' | 'predict-latency-p99', p: number, thresholdMs: number, latencies: readonly LatencyCount[]): ErrorBudget {
  const sorted = latencies.filter((c) => c.count > 0).sort((a, b) => a.ms - b.ms);
  const total = sorted.reduce((sum, c) => sum + c.count, 0);
  const bad = sorted.reduce((sum, c) => sum + (c.ms > thresholdMs ? c.count : 0), 0);
  return { ...budget(slo, `p${p} <= ${thresholdMs} ms`, p / 100, total, bad, countedPercentile(sorted, total, p)), thresholdMs };
}

/** An availability SLO: failed requests spend the budget. */
export function availabilityBudget(target: number, requests: { total: number; failed: number }): ErrorBudget {
  const observed = requests.total === 0 ? null : 1 - requests.failed / requests.total;
  return budget('availability', `${target * 100}% of requests succeed`, target, requests.total, requests.failed, observed);
}
