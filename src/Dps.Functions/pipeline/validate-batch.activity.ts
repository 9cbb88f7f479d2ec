import { describeFinding, RowCounts, ValidationFinding } from '../../Dps.Domain/data/validation-report';
import type { AppDependencies } from '../app-dependencies';
import { AuditStamp, auditOutput, emitAudit } from '../audit/audit-output';
import { appendSilverVersion, BatchValidationOutcome, committedOutcome, saveDedupOrDiscard, validateBatch } from '../datasets/batch-validation';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { structuredLog } from '../shared/structured-log';
import type { BlobRef } from '../storage/blob-io';
import { openBatch } from '../ingest/batch-input';
import { batchLayers } from '../storage/blob-layout';
import type { PipelineInput } from './pipeline-run';

/** A validation as the orchestration sees it: the verdict, counts, findings, layers and silver version. */
export interface ValidationStep {
  status: 'accepted' | 'rejected';
  rows: RowCounts;
  errors: ValidationFinding[];
  warnings: ValidationFinding[];
  layers: Record<string, BlobRef>;
  silverVersion?: number;
}

/** The batch to validate, under which contract revision, for which run. */
export type ValidateBatchInput = PipelineInput & { contractRevision: number; instanceId: string; audit: AuditStamp };

export const VALIDATE_BATCH = activity<ValidateBatchInput, ValidationStep>('pipelineValidateBatch', [auditOutput]);

/**
 * Validates the batch into silver, quarantine and duplicates, saves the dedup memory and appends the
 * silver version; a batch already committed under the revision is reported from its stored report.
 * Safe to re-run after a failure at any write: the dedup state records the batches it holds.
 */
export function validateBatchStep(deps: AppDependencies): ActivityHandler<ValidateBatchInput, ValidationStep> {
  return async (input, context) => {
    const started = Date.now();
    const { settings } = deps;
    const { contracts, dedup, silver } = deps.dataPlane();
    const blobs = deps.storage().blobs;
    const { dataset, sha256 } = input.batch;
    const stored = await contracts.revision(dataset, input.contractRevision);
    // Silver is partitioned by version: a batch is written under the number it expects to take.
    const layersAt = (version?: number) => batchLayers(settings.containers, dataset, sha256, stored.revision, version);
    const committed = (await silver.list(dataset)).find((v) => v.kind === 'batch' && v.sha256 === sha256 && v.contractRevision === stored.revision);
    let silverVersion = committed?.version;
    let outcome: BatchValidationOutcome;
    if (committed) outcome = await committedOutcome(blobs, layersAt(), committed.silver);
    else {
      const readAt = await dedup.read(dataset);
      const batchId = `${sha256}-r${stored.revision}`;
      // Saved into the dedup state by an attempt that failed before its silver append: validating again
      // would find every row a duplicate of itself, so that attempt's stored report is the outcome.
      if (readAt.batches?.includes(batchId)) outcome = await committedOutcome(blobs, layersAt());
      else {
        const targets = layersAt(await silver.nextVersion(dataset));
        outcome = await validateBatch(blobs, await openBatch(blobs, input.batch.bronze, input.batch.source), {
          contract: stored.contract, contractRevision: stored.revision, dedup: readAt.state, piiSalt: settings.piiSalt, source: input.batch.source, targets, limits: settings.limits,
        });
        if (outcome.status === 'accepted' && outcome.dedup) await saveDedupOrDiscard(blobs, () => dedup.save(dataset, outcome.dedup!, readAt, batchId), targets.silver);
      }
      if (outcome.status === 'accepted' && outcome.layers.silver) {
        const entry = { dataset, kind: 'batch' as const, sha256, contractRevision: stored.revision, rows: outcome.rows, pipelineInstanceId: input.instanceId };
        const appended = await appendSilverVersion(blobs, silver, entry, outcome.layers.silver, (version) => layersAt(version).silver);
        silverVersion = appended.version;
        outcome = { ...outcome, layers: { ...outcome.layers, silver: appended.silver } };
      }
    }
    const { read, accepted, quarantined, duplicates } = outcome.rows;
    const elapsedMs = Date.now() - started;
    if (read > 0) deps.metrics.recordQuarantineShare(quarantined / read, { dataset });
    if (!committed && elapsedMs > 0) deps.metrics.recordRowsPerSecond((read / elapsedMs) * 1000, { dataset, stage: 'validate' });
    structuredLog(context, { instanceId: input.instanceId, dataset }).info('batch validated', {
      status: outcome.status, read, accepted, quarantined, duplicates, quarantineShare: read ? quarantined / read : null,
      elapsedMs, rowsPerSecond: elapsedMs > 0 ? Math.round((read / elapsedMs) * 1000) : null, reused: committed !== undefined,
    });
    emitAudit(context, {
      id: `batch-${dataset}-${sha256.slice(0, 12)}-r${stored.revision}-${input.audit.run}`, when: input.audit.at,
      who: input.submittedBy, what: 'dataset.batch.validated', outcome: outcome.status, instanceId: input.instanceId,
      why: outcome.status === 'accepted'
        ? `${accepted} of ${read} rows accepted, ${quarantined} quarantined, ${duplicates} duplicates (contract revision ${stored.revision})`
        : `rejected: ${outcome.errors.map(describeFinding).slice(0, 3).join('; ')}`,
      subjects: { dataset, batch: sha256 },
      details: { rows: { read, accepted, quarantined, duplicates }, contractRevision: stored.revision, silverVersion: silverVersion ?? null },
    });
    return { status: outcome.status, rows: outcome.rows, errors: outcome.errors, warnings: outcome.warnings, layers: outcome.layers, silverVersion };
  };
}
