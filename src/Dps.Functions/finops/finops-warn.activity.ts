import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { RunRef } from '../../Dps.Domain/finops/run-records';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { warningAudit } from './finops-audit';
import type { FinOpsServices } from './finops-services';

/** The stops to announce, when they happen, and the orchestration's time for the audit events. */
export interface WarnInput {
  run: RunRef;
  stops: OffHoursDecision[];
  stopsAt: string;
  when: string;
}

export const FINOPS_WARN = activity<WarnInput, void>('finopsWarn', [auditOutput]);

/** Records and audits a warning for each stop due at the end of the grace period. */
export function finopsWarn(services: () => Promise<FinOpsServices>): ActivityHandler<WarnInput, void> {
  return async ({ run, stops, stopsAt, when }, context) => {
    const { store } = await services();
    await store.saveWarnings(stops.map((d) => ({ runId: run.runId, at: run.at, id: d.id, type: d.type, reason: d.reason, stopsAt, warnedAt: when })));
    for (const decision of stops) emitAudit(context, warningAudit(run, decision, stopsAt, when));
  };
}
