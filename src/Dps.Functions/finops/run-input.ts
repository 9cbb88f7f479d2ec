import type { RunRef } from '../../Dps.Domain/finops/run-records';
import type { DpsSettings } from '../settings';

/** The input of the `finopsOffHours` orchestration. */
export type OffHoursRunInput = Omit<RunRef, 'runId'> & { graceMinutes: number };

/** The input for a run, with the grace period from the settings; a bad setting is an error naming it. */
export function offHoursRunInput(settings: DpsSettings, run: Omit<OffHoursRunInput, 'graceMinutes'>): OffHoursRunInput {
  const grace = settings.finops.graceMinutes;
  if (!Number.isFinite(grace) || grace < 0) throw new Error(`DPS_FINOPS_GRACE_MINUTES must be a number of minutes >= 0, got ${grace}`);
  return { ...run, graceMinutes: grace };
}
