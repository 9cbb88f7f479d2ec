import { plannedRunRecord, type PlannedRun, type RunRef } from '../../Dps.Domain/finops/run-records';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { FinOpsServices } from './finops-services';
import { planRun } from './plan-run';

export const FINOPS_PLAN = activity<RunRef, PlannedRun>('finopsPlan');

/** Plans the run over the current inventory and records it as running. */
export function finopsPlan(services: () => Promise<FinOpsServices>): ActivityHandler<RunRef, PlannedRun> {
  return async (run) => {
    const { store, inventory, defaults } = await services();
    const plan = await planRun(run.at, store, inventory, defaults);
    await store.saveRun(plannedRunRecord(run, plan));
    return plan;
  };
}
