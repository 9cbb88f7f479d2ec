import { runResults, type ActionResult, type PlannedRun, type RunRecord, type RunRef } from '../../Dps.Domain/finops/run-records';
import { auditOutput, emitAudit } from '../audit/audit-output';
import type { AppMetrics } from '../telemetry/app-metrics';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { actionAudit, runAudit } from './finops-audit';
import type { FinOpsServices } from './finops-services';

/** A run's plan and the results of its actions, with the orchestration's time for the audit events. */
export interface RecordInput {
  run: RunRef;
  plan: PlannedRun;
  results: ActionResult[];
  when: string;
}

/** What the orchestration returns: how the run ended. */
export type RunSummary = Pick<RunRecord, 'status' | 'outcomes' | 'savings'>;

export const FINOPS_RECORD = activity<RecordInput, RunSummary>('finopsRecord', [auditOutput]);

/** Stores the run and its actions, moves the cursor after a real run, and audits what was not audited as it happened. */
export function finopsRecord(services: () => Promise<FinOpsServices>, metrics: AppMetrics): ActivityHandler<RecordInput, RunSummary> {
  return async ({ run, plan, results, when }, context) => {
    const { store } = await services();
    const { record, actions } = runResults(run, plan, results, new Date().toISOString());
    await store.saveActions(actions);
    await store.saveRun(record);
    if (!run.dryRun && plan.status === 'planned') await store.advanceCursor(run.at);
    // Done actions were audited as they happened; failures and dry-run decisions are audited here.
    for (const action of actions.filter((a) => a.outcome === 'failed' || a.outcome === 'dry-run')) emitAudit(context, actionAudit(run, action, when));
    emitAudit(context, runAudit(run, record, when));
    metrics.recordSavings(record.savings, { dryRun: run.dryRun });
    return { status: record.status, outcomes: record.outcomes, savings: record.savings };
  };
}
