import { percentile } from './duration-summary';

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

/** A latency SLO "p-th percentile within thresholdMs": events over the threshold spend the budget. */
export function latencyBudget(slo: 'pipeline-lead-time-p95' | 'predict-latency-p99', p: number, thresholdMs: number, latenciesMs: readonly number[]): ErrorBudget {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const bad = sorted.filter((x) => x > thresholdMs).length;
  return { ...budget(slo, `p${p} <= ${thresholdMs} ms`, p / 100, sorted.length, bad, percentile(sorted, p)), thresholdMs };
}

/** An availability SLO: failed requests spend the budget. */
export function availabilityBudget(target: number, requests: { total: number; failed: number }): ErrorBudget {
  const observed = requests.total === 0 ? null : 1 - requests.failed / requests.total;
  return budget('availability', `${target * 100}% of requests succeed`, target, requests.total, requests.failed, observed);
}
