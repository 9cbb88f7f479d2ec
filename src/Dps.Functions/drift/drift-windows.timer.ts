import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput } from '../audit/audit-output';
import { driftStore } from './drift-monitor-store';
import { applyRows } from './monitor-apply';

/**
 * Registers `driftWindowClose` when windows are by time (DPS_DRIFT_WINDOW_BY=time): every five minutes
 * it closes, for every monitored model, the time windows that have ended, so a window gets its verdict
 * (or is counted as too small) even when no telemetry follows it.
 */
export function registerDriftWindowClose(deps: AppDependencies): void {
  if (deps.settings.drift.window.by !== 'time') return;
  const store = driftStore(deps);
  df.app.client.timer('driftWindowClose', {
    schedule: '0 */5 * * * *',
    extraOutputs: [auditOutput],
    handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext): Promise<void> => {
      for (const model of await store.models()) await applyRows(deps, store, client, context, model, [], Date.now());
    },
  });
}
