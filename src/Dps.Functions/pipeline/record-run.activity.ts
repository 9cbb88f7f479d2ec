import type { AppDependencies } from '../app-dependencies';
import { AuditStamp, auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { structuredLog } from '../shared/structured-log';
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
    const subject = { instanceId: result.instanceId, dataset: result.dataset, ...(result.model ? { model: result.model.name, version: result.model.version } : {}) };
    const ended = result.stages.at(-1)?.endedAt;
    structuredLog(context, subject).info('pipeline run recorded', {
      status: result.status, rows: result.rows, landedAt: result.landedAt ?? null,
      leadTimeMs: result.landedAt && ended ? Date.parse(ended) - Date.parse(result.landedAt) : null, errors: result.errors.length,
    });
    emitAudit(context, {
      id: `run-${result.instanceId}-${audit.run}`, when: audit.at, who: 'system', what: 'pipeline.finished', outcome: result.status, instanceId: result.instanceId,
      why: result.errors[0] ?? `rows read ${result.rows.read} = accepted ${result.rows.accepted} + quarantined ${result.rows.quarantined} + duplicates ${result.rows.duplicates}`,
      subjects: { dataset: result.dataset, batch: result.sha256 },
    });
  };
}
