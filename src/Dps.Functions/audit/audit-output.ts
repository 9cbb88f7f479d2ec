import { InvocationContext, output } from '@azure/functions';
import type { AuditEvent } from '../../Dps.Domain/audit/audit-event';
import { validateAuditEvent } from '../../Dps.Domain/audit/audit-event';

/** The `eventHub` output binding every function that records a decision declares in `extraOutputs`. */
export const auditOutput = output.eventHub({ eventHubName: '%DPS_AUDIT_HUB%', connection: 'EventHubConnection' });

/** An audit event before the emitter fills in where and when. */
export type AuditDraft = Omit<AuditEvent, 'when' | 'where'> & { when?: string; instanceId?: string };

/**
 * When an orchestration's step happened, from its replay-safe clock: `run` is the run's start (part of
 * event ids, so a re-run of the same instance id records new events) and `at` the step's time (the
 * event's `when`, so a re-executed activity emits the very same event, which the chain stores once).
 */
export interface AuditStamp {
  run: string;
  at: string;
}

/**
 * Adds an audit event to this invocation's audit output; the host sends it to the audit hub when the
 * invocation succeeds. Throws on an invalid event so a decision is never recorded half-formed.
 */
export function emitAudit(context: InvocationContext, draft: AuditDraft): AuditEvent {
  const { instanceId, when, ...rest } = draft;
  const candidate = {
    ...rest,
    when: when ?? new Date().toISOString(),
    where: instanceId ? { function: context.functionName, instanceId } : { function: context.functionName },
  };
  const checked = validateAuditEvent(candidate);
  if (!checked.ok) throw new Error(`audit event '${draft.what}': ${checked.error}`);
  const pending = (context.extraOutputs.get(auditOutput) as AuditEvent[] | undefined) ?? [];
  pending.push(checked.value);
  context.extraOutputs.set(auditOutput, pending);
  return checked.value;
}
