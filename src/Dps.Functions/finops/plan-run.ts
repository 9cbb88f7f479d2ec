import type { OffHoursAction } from '../../Dps.Domain/finops/offhours-decision';
import type { PlannedRun } from '../../Dps.Domain/finops/run-records';
import { MAX_WINDOW_HOURS, OffHoursDefaults, planOffHours } from '../../Dps.Domain/finops/plan-offhours';
import type { FinOpsInventory } from './finops-inventory';
import type { FinOpsStore } from '../storage/finops-store';

const HOUR_MS = 3_600_000;

/**
 * Plans the evaluation at `at`: the window starts at the last real run's time (so transitions are
 * acted on once), or an hour back when there was none or it is older than the domain's 7-day limit;
 * a window that is already evaluated gives `nothing-due`.
 */
export async function planRun(at: string, store: FinOpsStore, inventory: FinOpsInventory, defaults: OffHoursDefaults): Promise<PlannedRun> {
  const startedAt = new Date().toISOString();
  const last = await store.lastEvaluation();
  if (last !== undefined && Date.parse(last) >= Date.parse(at)) {
    return { status: 'nothing-due', note: `already evaluated up to ${last}`, decisions: {}, actions: [], startedAt };
  }
  const stale = last !== undefined && Date.parse(at) - Date.parse(last) > MAX_WINDOW_HOURS * HOUR_MS;
  const since = stale ? undefined : last;
  const note = stale ? `the last evaluation (${last}) is more than ${MAX_WINDOW_HOURS} h ago: only the last hour is evaluated` : undefined;
  const plan = planOffHours({ resources: await inventory.list(), at, since, defaults });
  if (!plan.ok) return { status: 'failed', error: plan.error, note, decisions: {}, actions: [], startedAt };
  const decisions: Partial<Record<OffHoursAction, number>> = {};
  for (const d of plan.value.decisions) decisions[d.action] = (decisions[d.action] ?? 0) + 1;
  return { status: 'planned', since: plan.value.since, note, decisions, actions: plan.value.decisions.filter((d) => d.action !== 'none'), startedAt };
}
