import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { ActionResult, RunRef } from '../../Dps.Domain/finops/run-records';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { actOnResource } from './act-on-resource';
import { actionAudit } from './finops-audit';
import type { FinOpsServices } from './finops-services';

/** One planned stop or start, the run's window start, and the orchestration's time for the audit event. */
export interface ActInput {
  run: RunRef;
  since: string;
  decision: OffHoursDecision;
  when: string;
}

export const FINOPS_ACT = activity<ActInput, ActionResult>('finopsAct', [auditOutput]);

/** Carries out one stop or start (see actOnResource) and audits what became of it. */
export function finopsAct(services: () => Promise<FinOpsServices>): ActivityHandler<ActInput, ActionResult> {
  return async ({ run, since, decision, when }, context) => {
    const { inventory, defaults } = await services();
    const result = await actOnResource(decision, { since, at: run.at }, inventory, defaults);
    emitAudit(context, actionAudit(run, result, when));
    return result;
  };
}
