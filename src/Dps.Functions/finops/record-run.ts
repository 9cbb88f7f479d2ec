import { ActionRecord, ActionResult, RunRecord, stopSavings } from '../storage/finops-store';
import type { PlannedRun } from './plan-run';
import type { RunRef } from './run-input';

/**
 * What a run leaves behind: the actions as they ended (a dry run's stops and starts as `dry-run`,
 * resources with bad tags as `skipped`) and the run record with its counts and savings.
 */
export function runResults(run: RunRef, plan: PlannedRun, results: ActionResult[], completedAt: string): { record: RunRecord; actions: ActionRecord[] } {
  const reported = plan.actions
    .filter((d) => d.action === 'skip' || run.dryRun)
    .map((d): ActionResult => ({ id: d.id, type: d.type, action: d.action, wave: d.wave, outcome: d.action === 'skip' ? 'skipped' : 'dry-run', reason: d.reason, estimatedSavings: d.estimatedSavings }));
  const actions = [...results, ...reported].map((r) => ({ ...r, runId: run.runId, at: run.at, dryRun: run.dryRun }));
  const outcomes: RunRecord['outcomes'] = {};
  for (const a of actions) outcomes[a.outcome] = (outcomes[a.outcome] ?? 0) + 1;
  const savings = stopSavings(actions, run.dryRun ? 'dry-run' : 'stopped').amount;
  const status = plan.status === 'planned' ? 'completed' : plan.status;
  const record: RunRecord = {
    ...run, since: plan.since, status, note: plan.note, error: plan.error, decisions: plan.decisions, outcomes, savings, startedAt: plan.startedAt, completedAt,
  };
  return { record, actions };
}
