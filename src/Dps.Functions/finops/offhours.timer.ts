import { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { startOrchestration } from '../shared/durable-calls';
import { FINOPS_OFFHOURS } from './offhours.orchestration';
import { offHoursRunInput } from './run-input';
import { findInstance } from '../shared/durable-status';

const HOUR_MS = 3_600_000;
// A timer that fires a moment before the hour still evaluates that hour, not the one before.
const EARLY_FIRING_MS = 60_000;
// An instance that ended like this may be started again for its hour; any other state means it ran or runs.
const RESTARTABLE = new Set(['Failed', 'Terminated', 'Canceled']);

/** The instance id of the scheduled run for the hour starting at `hour`: `finops-2026-11-22T13`. */
export function scheduledRunId(hour: Date): string {
  return `finops-${hour.toISOString().slice(0, 13)}`;
}

/**
 * Registers `finopsOffHoursTimer` (`%DPS_FINOPS_SCHEDULE%`, hourly by default): starts the evaluation
 * of the current hour under a deterministic instance id, so a second firing in the same hour (a
 * retry, a scale-out twin, an admin call) finds the instance and does nothing.
 */
export function registerFinopsTimer(deps: AppDependencies): void {
  df.app.client.timer('finopsOffHoursTimer', {
    schedule: '%DPS_FINOPS_SCHEDULE%',
    handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext): Promise<void> => {
      const hour = new Date(Math.floor((Date.now() + EARLY_FIRING_MS) / HOUR_MS) * HOUR_MS);
      const instanceId = scheduledRunId(hour);
      const existing = await findInstance(client, instanceId);
      if (existing && !RESTARTABLE.has(String(existing.runtimeStatus))) {
        context.log(`off-hours run ${instanceId} is already ${existing.runtimeStatus}: nothing to start`);
        return;
      }
      const input = offHoursRunInput(deps.settings, { at: hour.toISOString(), dryRun: deps.settings.finops.dryRun, trigger: 'timer', requestedBy: 'dps-finops-timer' });
      await startOrchestration(client, FINOPS_OFFHOURS, instanceId, input);
      context.log(`off-hours run ${instanceId} started (${input.dryRun ? 'dry run' : 'acting'})`);
    },
  });
}
