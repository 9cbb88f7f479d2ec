import type { AppDependencies } from '../app-dependencies';
import { AuditStamp, auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { RunsStore } from '../storage/runs-store';
import type { PipelineResult } from './pipeline-run';

/** A finished run and the orchestration's clock for its audit event. */
export interface RecordRunInput {
  result: PipelineResult;
  audit: AuditStamp;
}

export const RECORD_RUN = activity<RecordRunInput, void>('pipelineRecordRun', [auditOutput]);

/** Stores the run in the runs table and audits how it finished. */
export function recordRun(deps: AppDependencies): ActivityHandler<RecordRunInput, void> {
  return async ({ result, audit }, context) => {
    await new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs)).save(result);
    emitAudit(context, {
      id: `run-${result.instanceId}-${audit.run}`, when: audit.at, who: 'system', what: 'pipeline.finished', outcome: result.status, instanceId: result.instanceId,
      why: result.errors[0] ?? `rows read ${result.rows.read} = accepted ${result.rows.accepted} + quarantined ${result.rows.quarantined} + duplicates ${result.rows.duplicates}`,
      subjects: { dataset: result.dataset, batch: result.sha256 },
    });
  };
}
