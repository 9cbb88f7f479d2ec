import type { TimedRun } from './flow-input-check';

/** First-pass yield: finished batches accepted without rework (no quarantine replay touched them). */
export interface FirstPassYield {
  finished: number;
  firstPass: number;
  /** Null when nothing finished. */
  yield: number | null;
}

/** Rows the contract sent to quarantine, as a share of the rows read. */
export interface QuarantineShare {
  read: number;
  quarantined: number;
  share: number | null;
}

/** First-pass yield of finished runs. */
export function firstPassYield(finished: readonly TimedRun[]): FirstPassYield {
  const firstPass = finished.filter((r) => r.run.status === 'accepted' && r.run.replays === 0).length;
  return { finished: finished.length, firstPass, yield: finished.length === 0 ? null : firstPass / finished.length };
}

/** Quarantined rows over rows read, summed over the runs. */
export function quarantineShare(runs: readonly TimedRun[]): QuarantineShare {
  const read = runs.reduce((sum, r) => sum + r.run.rows.read, 0);
  const quarantined = runs.reduce((sum, r) => sum + r.run.rows.quarantined, 0);
  return { read, quarantined, share: read === 0 ? null : quarantined / read };
}
