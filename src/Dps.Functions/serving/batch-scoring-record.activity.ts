import type { AppDependencies } from '../app-dependencies';
import { AuditStamp, auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobRef, putBlob } from '../storage/blob-io';
import { batchPredictionBlobs } from '../storage/blob-layout';

/** How a batch-scoring run ended: rows read = scored + rejected, and where predictions and rejected rows are. */
export interface BatchScoringResult {
  instanceId: string;
  model: string;
  file: BlobRef;
  stem: string;
  status: 'succeeded' | 'failed';
  version?: number;
  rows: { read: number; scored: number; rejected: number };
  chunks: number;
  predictions: BlobRef[];
  rejectedRows: BlobRef[];
  error?: string;
  startedAt: string;
  finishedAt: string;
}

/** A finished run, and the orchestration's clock for its audit event. */
export interface RecordBatchScoringInput {
  result: BatchScoringResult;
  audit: AuditStamp;
}

export const RECORD_BATCH_SCORING = activity<RecordBatchScoringInput, void>('batchScoringRecord', [auditOutput]);

/** Writes the run's summary next to its predictions, deletes the chunk inputs, and audits the run. */
export function recordBatchScoring(deps: AppDependencies): ActivityHandler<RecordBatchScoringInput, void> {
  return async ({ result, audit }, context) => {
    const blobs = deps.storage().blobs;
    const targets = batchPredictionBlobs(deps.settings.containers, result.model, result.stem);
    await putBlob(blobs, targets.summary, JSON.stringify(result, null, 2), 'application/json');
    // Chunk inputs are copies of the landed rows, needed only while the chunks are scored.
    await Promise.all(Array.from({ length: result.chunks }, (_, i) => {
      const ref = targets.chunkInput(i + 1);
      return blobs.getContainerClient(ref.container).deleteBlob(ref.name, { deleteSnapshots: 'include' }).catch(() => undefined);
    }));
    const { read, scored, rejected } = result.rows;
    emitAudit(context, {
      id: `batch-score-${result.instanceId}-${audit.run}`, when: audit.at, who: 'system', what: 'serving.batch-scored', outcome: result.status, instanceId: result.instanceId,
      why: result.error ?? `rows read ${read} = scored ${scored} + rejected ${rejected}, by v${result.version} (champion)`,
      subjects: { model: result.model, file: `${result.file.container}/${result.file.name}`, summary: `${targets.summary.container}/${targets.summary.name}` },
    });
  };
}
