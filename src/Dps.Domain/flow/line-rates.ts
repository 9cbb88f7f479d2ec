import type { TimedRollout, TimedRun } from './flow-input-check';
import type { RunJourneys } from './run-journeys';

const DAY_MS = 86_400_000;

/** What left the line in the window, and the daily rate of accepted batches. */
export interface Throughput {
  finished: number;
  accepted: number;
  rejected: number;
  failed: number;
  registered: number;
  championed: number;
  acceptedPerDay: number;
}

/** What is inside the line at the instant measured. */
export interface WorkInProgress {
  runs: number;
  rollouts: number;
}

/** Takt time: the pace demand sets, the available time divided by the batches that arrive. */
export interface Takt {
  arrivals: number;
  arrivalsPerDay: number;
  availableHoursPerDay: number;
  /** Null when nothing arrived (no demand, no pace). */
  taktMs: number | null;
}

const inWindow = (ms: number | undefined, fromMs: number, toMs: number) => ms !== undefined && ms >= fromMs && ms < toMs;

/** Runs and milestones completed in [fromMs, toMs). */
export function throughput(journeys: readonly RunJourneys[], fromMs: number, toMs: number): Throughput {
  const finished = journeys.filter((j) => inWindow(j.run.finishedMs, fromMs, toMs)).map((j) => j.run.run.status);
  const accepted = finished.filter((s) => s === 'accepted').length;
  return {
    finished: finished.length,
    accepted,
    rejected: finished.filter((s) => s === 'rejected').length,
    failed: finished.filter((s) => s === 'failed').length,
    registered: journeys.filter((j) => inWindow(j.registered?.endMs, fromMs, toMs)).length,
    championed: journeys.filter((j) => inWindow(j.champion?.endMs, fromMs, toMs)).length,
    acceptedPerDay: accepted / ((toMs - fromMs) / DAY_MS),
  };
}

/** True when the run had landed and not yet finished at atMs. */
export function runInProgress(run: TimedRun, atMs: number): boolean {
  return run.landedMs <= atMs && (run.finishedMs === undefined || run.finishedMs > atMs);
}

/** Runs and rollouts under way at atMs. */
export function workInProgress(runs: readonly TimedRun[], rollouts: readonly TimedRollout[], atMs: number): WorkInProgress {
  return {
    runs: runs.filter((r) => runInProgress(r, atMs)).length,
    rollouts: rollouts.filter((r) => r.startMs <= atMs && (r.endMs === undefined || r.endMs > atMs)).length,
  };
}

/** Takt time from the arrival rate of batches landed in [fromMs, toMs). */
export function taktTime(runs: readonly TimedRun[], fromMs: number, toMs: number, availableHoursPerDay: number): Takt {
  const arrivals = runs.filter((r) => inWindow(r.landedMs, fromMs, toMs)).length;
  const arrivalsPerDay = arrivals / ((toMs - fromMs) / DAY_MS);
  return { arrivals, arrivalsPerDay, availableHoursPerDay, taktMs: arrivals === 0 ? null : (availableHoursPerDay * 3_600_000) / arrivalsPerDay };
}
