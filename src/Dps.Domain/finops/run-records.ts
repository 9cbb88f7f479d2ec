import type { OffHoursAction, OffHoursDecision } from './offhours-decision';
import type { SavingsEstimate } from './savings';

/** Which run an activity works for, and on whose behalf (the audit events' `who`). */
export interface RunRef {
  /** The orchestration instance id. */
  runId: string;
  /** The evaluation time T (ISO, UTC). */
  at: string;
  dryRun: boolean;
  trigger: 'timer' | 'http';
  requestedBy: string;
}

/** The plan of one run: what to act on, and why nothing is when there is nothing. */
export interface PlannedRun {
  status: 'planned' | 'nothing-due' | 'failed';
  since?: string;
  note?: string;
  error?: string;
  /** How many resources the policy gave each action. */
  decisions: Partial<Record<OffHoursAction, number>>;
  /** The stops and starts in execution order, then the resources skipped for bad tags. */
  actions: OffHoursDecision[];
  startedAt: string;
}

/** What became of one planned action. */
export type ActionOutcome = 'stopped' | 'started' | 'skipped' | 'failed' | 'dry-run';

/** One resource's action in a run, as the act step reports it. */
export interface ActionResult {
  id: string;
  type: string;
  action: OffHoursDecision['action'];
  wave: number;
  outcome: ActionOutcome;
  reason: string;
  error?: string;
  estimatedSavings?: SavingsEstimate;
  actedAt?: string;
}

/** An action as stored, with its run. */
export type ActionRecord = ActionResult & { runId: string; at: string; dryRun: boolean };

/** A stop announced before the grace period. */
export interface WarningRecord {
  runId: string;
  at: string;
  id: string;
  type: string;
  reason: string;
  stopsAt: string;
  warnedAt: string;
}

/** One evaluation of the off-hours policy. */
export interface RunRecord {
  runId: string;
  /** The evaluation time T: transitions in (since, at] are acted on. */
  at: string;
  since?: string;
  dryRun: boolean;
  trigger: 'timer' | 'http';
  requestedBy: string;
  status: 'running' | 'completed' | 'nothing-due' | 'failed';
  note?: string;
  error?: string;
  /** How many resources the plan gave each action. */
  decisions: Partial<Record<OffHoursDecision['action'], number>>;
  /** How many actions ended each way. */
  outcomes: Partial<Record<ActionOutcome, number>>;
  /** Estimated savings of the stops done (dry run: of the stops that would be done). */
  savings: number;
  startedAt: string;
  completedAt?: string;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The estimated savings of the stops that ended with `outcome` (`stopped`, or `dry-run` for would-be stops). */
export function stopSavings(actions: ActionResult[], outcome: ActionOutcome): { amount: number; stops: number } {
  const stops = actions.filter((a) => a.action === 'stop' && a.outcome === outcome);
  return { amount: round2(stops.reduce((sum, a) => sum + (a.estimatedSavings?.amount ?? 0), 0)), stops: stops.length };
}

/** The running record a run starts with, once it is planned. */
export function plannedRunRecord(run: RunRef, plan: PlannedRun): RunRecord {
  return { ...run, since: plan.since, status: 'running', note: plan.note, decisions: plan.decisions, outcomes: {}, savings: 0, startedAt: plan.startedAt };
}

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
