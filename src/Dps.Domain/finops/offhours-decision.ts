import { SavingsEstimate } from './savings';

/** What DPS does to a resource in one evaluation. */
export type OffHoursAction = 'stop' | 'start' | 'none' | 'skip';

/** One resource's decision; `wave` orders execution (1, 2, … ; 0 for `none` and `skip`). */
export interface OffHoursDecision {
  id: string;
  type: string;
  action: OffHoursAction;
  reason: string;
  /** The resource's `dps-sequence` (0 when missing or unreadable). */
  sequence: number;
  wave: number;
  estimatedSavings?: SavingsEstimate;
}
