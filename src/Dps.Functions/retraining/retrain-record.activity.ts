import type { AuditDraft } from '../audit/audit-output';
import { auditOutput, emitAudit } from '../audit/audit-output';
import type { AppDependencies } from '../app-dependencies';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { retrainingStore } from './retrain-facts.activity';

/** A retrain's decision to audit, and when it starts a training, the start to remember for the cool-down. */
export interface RetrainRecordInput {
  audit: AuditDraft;
  started?: { model: string; at: string; run: string };
}

export const RETRAIN_RECORD = activity<RetrainRecordInput, void>('retrainRecord', [auditOutput]);

/** Audits one decision of a retrain (deterministic ids, so a re-run records it once) and remembers a start. */
export function retrainRecord(deps: AppDependencies): ActivityHandler<RetrainRecordInput, void> {
  return async (input, context) => {
    if (input.started) await retrainingStore(deps).started(input.started.model, input.started.at, input.started.run);
    emitAudit(context, input.audit);
  };
}
