import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { AuditDraft } from '../audit/audit-output';
import type { ActionResult, RunRecord, RunRef } from '../../Dps.Domain/finops/run-records';

// Every FinOps event id names the run, so a re-run activity re-emits the same event (and the chain keeps it once).
const eventId = (run: RunRef, ...parts: string[]) => ['finops', run.runId, ...parts].join(':');

/**
 * The audit event for one resource's action: stopped, started, skipped, failed or dry-run. `when`
 * comes from the orchestration (deterministic), so every attempt emits the same event.
 */
export function actionAudit(run: RunRef, result: ActionResult, when: string): AuditDraft {
  return {
    id: eventId(run, result.id, result.action),
    who: run.requestedBy,
    what: `finops.offhours.${result.action}`,
    when,
    instanceId: run.runId,
    outcome: result.outcome,
    why: result.error ? `${result.reason}; failed: ${result.error}` : result.reason,
    subjects: { resource: result.id },
    details: { at: run.at, dryRun: run.dryRun, wave: result.wave, type: result.type, ...(result.estimatedSavings ? { estimatedSavings: { ...result.estimatedSavings } } : {}) },
  };
}

/** The audit event announcing a stop at the end of the grace period. */
export function warningAudit(run: RunRef, decision: OffHoursDecision, stopsAt: string, when: string): AuditDraft {
  return {
    id: eventId(run, decision.id, 'warning'),
    who: run.requestedBy,
    what: 'finops.offhours.warning',
    when,
    instanceId: run.runId,
    outcome: 'warned',
    why: `${decision.reason}: stops at ${stopsAt} unless snoozed (tag dps-snooze-until)`,
    subjects: { resource: decision.id },
    details: { at: run.at, stopsAt, wave: decision.wave, type: decision.type },
  };
}

/** The audit event summing up a run. */
export function runAudit(run: RunRef, record: RunRecord, when: string): AuditDraft {
  const acted = Object.entries(record.outcomes).map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'no actions';
  return {
    id: eventId(run, 'run'),
    who: run.requestedBy,
    what: 'finops.offhours.run',
    when,
    instanceId: run.runId,
    outcome: record.status,
    why: record.error ?? record.note ?? `evaluated (${record.since ?? 'one hour before'}, ${record.at}]: ${acted}`,
    subjects: { run: run.runId },
    details: { at: record.at, dryRun: record.dryRun, trigger: record.trigger, decisions: record.decisions, outcomes: record.outcomes, savings: record.savings },
  };
}

/** The audit event for a run asked for over HTTP. */
export function requestAudit(run: RunRef, when: string): AuditDraft {
  return {
    id: eventId(run, 'requested'),
    who: run.requestedBy,
    what: 'finops.offhours.run-requested',
    when,
    instanceId: run.runId,
    outcome: 'accepted',
    why: `an off-hours evaluation at ${run.at} was requested${run.dryRun ? ' as a dry run' : ''}`,
    subjects: { run: run.runId },
    details: { at: run.at, dryRun: run.dryRun },
  };
}
