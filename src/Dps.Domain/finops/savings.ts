/** What a stop is expected to save: the hourly price times the hours until the schedule starts it again. */
export interface SavingsEstimate {
  hourlyCost: number;
  hours: number;
  amount: number;
}

/** A stop with no `on` within this many hours is counted up to here (one week). */
export const SAVINGS_HORIZON_HOURS = 168;

const HOUR_MS = 3_600_000;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Estimates the saving of a stop at `stopMs` lasting until `nextOnMs`, bounded by the horizon. */
export function estimateSavings(hourlyCost: number, stopMs: number, nextOnMs: number | undefined): SavingsEstimate {
  const hours = Math.min(nextOnMs === undefined ? SAVINGS_HORIZON_HOURS : (nextOnMs - stopMs) / HOUR_MS, SAVINGS_HORIZON_HOURS);
  return { hourlyCost, hours: round2(hours), amount: round2(hourlyCost * hours) };
}
