import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describeFinding, NO_ROWS, RowCounts, ValidationFinding } from '../../Dps.Domain/data/validation-report';
import { inferContractFromChunks } from '../../Dps.Domain/data/contract-from-chunks';
import type { BlobRef } from '../storage/blob-io';
import { readBlobChunks } from '../storage/blob-io';
import { RunsStore } from '../storage/runs-store';
import { AuditStamp, auditOutput, emitAudit } from '../audit/audit-output';
import type { AppDependencies } from '../app-dependencies';
import type { BronzeBatch } from '../datasets/bronze-store';
import { profileSilver } from '../datasets/silver-profile';
import { batchLayers, profileBlob } from '../storage/blob-layout';
import { BatchValidationOutcome, committedOutcome, validateBatch } from '../datasets/batch-validation';
import { StageRecord, StageTracker } from './stage-tracker';
import { TRAIN_MODEL, TrainedModel, TrainModelInput } from '../training/train-model.orchestration';

export const PIPELINE = 'pipeline';
export const RESOLVE_CONTRACT = 'pipelineResolveContract';
export const VALIDATE_BATCH = 'pipelineValidateBatch';
export const VALIDATE_TEST_SET = 'pipelineValidateTestSet';
export const RECORD_RUN = 'pipelineRecordRun';
export const PROFILE_SILVER = 'pipelineProfile';

/** What starts a pipeline: a landed batch and who sent it. */
export interface PipelineInput {
  batch: BronzeBatch;
  /** Label column asked for at ingest (`?label=`); a stored contract's label wins. */
  label?: string;
  /** A separate test batch (same contract) to evaluate the model on instead of a holdout. */
  test?: BronzeBatch;
  submittedBy: string;
}

/** The pipeline's result, also its Durable output. */
export interface PipelineResult {
  instanceId: string;
  dataset: string;
  sha256: string;
  status: 'accepted' | 'rejected' | 'failed';
  rows: RowCounts;
  stages: StageRecord[];
  errors: string[];
  warnings: string[];
  contract?: { revision: number; origin: 'user' | 'inferred'; label?: string };
  silver?: { version: number; blob: BlobRef };
  layers?: Record<string, BlobRef>;
  testSet?: { rows: RowCounts; blob?: BlobRef };
  profile?: BlobRef;
  model?: TrainedModel;
}

type ContractResolution = { ok: true; revision: number; origin: 'user' | 'inferred'; label?: string } | { ok: false; reason: string };

interface ValidationStep {
  status: 'accepted' | 'rejected';
  rows: RowCounts;
  errors: ValidationFinding[];
  warnings: ValidationFinding[];
  layers: Record<string, BlobRef>;
  silverVersion?: number;
}

/** The pipeline orchestration: contract -> validate -> record (profile and training plug in after validate). */
function* pipelineOrchestrator(context: OrchestrationContext): Generator<df.Task, PipelineResult, unknown> {
  const input = context.df.getInput() as PipelineInput;
  const { batch } = input;
  const tracker = new StageTracker();
  const now = () => context.df.currentUtcDateTime;
  const runStartedAt = now().toISOString();
  const stamp = (): AuditStamp => ({ run: runStartedAt, at: now().toISOString() });
  const result: PipelineResult = {
    instanceId: context.df.instanceId, dataset: batch.dataset, sha256: batch.sha256, status: 'accepted',
    rows: NO_ROWS, stages: tracker.stages, errors: [], warnings: [],
  };
  const publish = () => context.df.setCustomStatus({ dataset: batch.dataset, stages: tracker.stages, rows: result.rows });
  try {
    tracker.begin('contract', now());
    publish();
    const contract = (yield context.df.callActivity(RESOLVE_CONTRACT, input)) as ContractResolution;
    if (!contract.ok) {
      tracker.end('rejected', now(), contract.reason);
      result.status = 'rejected';
      result.errors.push(contract.reason);
    } else {
      tracker.end('succeeded', now(), `revision ${contract.revision} (${contract.origin})`);
      result.contract = { revision: contract.revision, origin: contract.origin, label: contract.label };
      tracker.begin('validate', now());
      publish();
      const retry = new df.RetryOptions(2000, 3);
      const validation = (yield context.df.callActivityWithRetry(VALIDATE_BATCH, retry, { ...input, contractRevision: contract.revision, instanceId: context.df.instanceId, audit: stamp() })) as ValidationStep;
      result.rows = validation.rows;
      result.errors.push(...validation.errors.map(describeFinding));
      result.warnings.push(...validation.warnings.map(describeFinding));
      result.layers = validation.layers;
      if (validation.status === 'rejected') {
        tracker.end('rejected', now(), result.errors[0]);
        result.status = 'rejected';
      } else {
        tracker.end('succeeded', now(), `${validation.rows.accepted} accepted, ${validation.rows.quarantined} quarantined, ${validation.rows.duplicates} duplicates`);
        result.silver = { version: validation.silverVersion as number, blob: validation.layers.silver };
        tracker.begin('profile', now());
        publish();
        const profiled = (yield context.df.callActivity(PROFILE_SILVER, { dataset: batch.dataset, sha256: batch.sha256, contractRevision: contract.revision, silver: validation.layers.silver })) as { profile: BlobRef; columns: number };
        result.profile = profiled.profile;
        tracker.end('succeeded', now(), `${profiled.columns} columns profiled`);
        yield* trainIfLabelled(context, input, result, tracker, contract.label, contract.revision, publish);
      }
    }
  } catch (error) {
    tracker.end('failed', now(), (error as Error).message);
    result.status = 'failed';
    result.errors.push((error as Error).message);
  }
  publish();
  yield context.df.callActivity(RECORD_RUN, { result, audit: stamp() });
  return result;
}

/** The training part of the pipeline: test-set validation, then the `trainModel` sub-orchestration. */
function* trainIfLabelled(
  context: OrchestrationContext, input: PipelineInput, result: PipelineResult, tracker: StageTracker,
  label: string | undefined, contractRevision: number, publish: () => void,
): Generator<df.Task, void, unknown> {
  const now = () => context.df.currentUtcDateTime;
  if (!label) {
    tracker.skip('train', now(), 'the contract names no label column');
    return;
  }
  let test: BlobRef | undefined;
  if (input.test) {
    tracker.begin('test-set', now());
    publish();
    const checked = (yield context.df.callActivity(VALIDATE_TEST_SET, { ...input, contractRevision, instanceId: context.df.instanceId })) as ValidationStep;
    result.testSet = { rows: checked.rows, blob: checked.layers.silver };
    if (checked.status === 'rejected') {
      const reason = `test set rejected: ${checked.errors.map(describeFinding)[0]}`;
      tracker.end('rejected', now(), reason);
      result.status = 'rejected';
      result.errors.push(reason);
      return;
    }
    tracker.end('succeeded', now(), `${checked.rows.accepted} test rows`);
    test = checked.layers.silver;
  }
  tracker.begin('train', now());
  publish();
  const settings = (yield context.df.callActivity(TRAINING_SETTINGS)) as { trials: number; seed: number };
  const trainInput: TrainModelInput = {
    model: input.batch.dataset, dataset: input.batch.dataset, datasetSha256: input.batch.sha256, contractRevision,
    silver: result.silver?.blob as BlobRef, test, pipelineInstanceId: context.df.instanceId, submittedBy: input.submittedBy, ...settings,
  };
  const trained = (yield context.df.callSubOrchestrator(TRAIN_MODEL, trainInput, `${context.df.instanceId}-train`)) as TrainedModel | { failed: string };
  if ('failed' in trained) {
    tracker.end('rejected', now(), trained.failed);
    result.status = 'rejected';
    result.errors.push(`training: ${trained.failed}`);
    return;
  }
  result.model = trained;
  tracker.end('succeeded', now(), `${trained.name} v${trained.version} (${trained.alias}), ${trained.trials} trials`);
}

export const TRAINING_SETTINGS = 'pipelineTrainingSettings';

/** Registers the pipeline orchestration and its activities. */
export function registerPipeline(deps: AppDependencies): void {
  const { settings } = deps;

  df.app.orchestration(PIPELINE, pipelineOrchestrator);

  df.app.activity(RESOLVE_CONTRACT, {
    extraOutputs: [auditOutput],
    handler: async (input: PipelineInput, context: InvocationContext): Promise<ContractResolution> => {
      const { contracts } = deps.dataPlane();
      const { dataset } = input.batch;
      const stored = await contracts.current(dataset);
      if (stored) return { ok: true, revision: stored.revision, origin: stored.origin, label: stored.contract.label?.column };
      const inferred = await inferContractFromChunks(readBlobChunks(deps.storage().blobs, input.batch.bronze), { dataset, label: input.label });
      if (!inferred.ok) return { ok: false, reason: `no contract is stored for '${dataset}' and none could be inferred: ${inferred.error}` };
      const saved = await contracts.put(dataset, inferred.value.contract, 'system', 'inferred');
      emitAudit(context, {
        id: `contract-${dataset}-r${saved.revision}`, who: 'system', what: 'contract.stored', outcome: 'stored',
        why: `no contract was stored for '${dataset}'; inferred from batch ${input.batch.sha256.slice(0, 12)}`,
        subjects: { dataset }, details: { revision: saved.revision, origin: 'inferred', notes: inferred.value.notes },
      });
      return { ok: true, revision: saved.revision, origin: 'inferred', label: saved.contract.label?.column };
    },
  });

  df.app.activity(VALIDATE_BATCH, {
    extraOutputs: [auditOutput],
    handler: async (input: PipelineInput & { contractRevision: number; instanceId: string; audit: AuditStamp }, context: InvocationContext): Promise<ValidationStep> => {
      const { contracts, dedup, silver } = deps.dataPlane();
      const blobs = deps.storage().blobs;
      const { dataset, sha256 } = input.batch;
      const stored = await contracts.revision(dataset, input.contractRevision);
      const targets = batchLayers(settings.containers, dataset, sha256, stored.revision);
      const committed = (await silver.list(dataset)).find((v) => v.kind === 'batch' && v.sha256 === sha256 && v.contractRevision === stored.revision);
      let silverVersion = committed?.version;
      let outcome: BatchValidationOutcome;
      if (committed) outcome = await committedOutcome(blobs, targets);
      else {
        const readAt = await dedup.read(dataset);
        outcome = await validateBatch(blobs, readBlobChunks(blobs, input.batch.bronze), {
          contract: stored.contract, contractRevision: stored.revision, dedup: readAt.state, piiSalt: settings.piiSalt, source: input.batch.source, targets,
        });
        if (outcome.status === 'accepted' && outcome.dedup) {
          await dedup.save(dataset, outcome.dedup, readAt);
          silverVersion = (await silver.append({ dataset, kind: 'batch', silver: targets.silver, sha256, contractRevision: stored.revision, rows: outcome.rows, pipelineInstanceId: input.instanceId })).version;
        }
      }
      const { read, accepted, quarantined, duplicates } = outcome.rows;
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
    },
  });

  df.app.activity(PROFILE_SILVER, {
    handler: async (input: { dataset: string; sha256: string; contractRevision: number; silver: BlobRef }): Promise<{ profile: BlobRef; columns: number }> => {
      const stored = await deps.dataPlane().contracts.revision(input.dataset, input.contractRevision);
      const target = profileBlob(settings.containers, input.dataset, input.sha256, input.contractRevision);
      const profile = await profileSilver(deps.storage().blobs, input.silver, stored.contract, target, settings.training.seed);
      return { profile: target, columns: profile.columns.length };
    },
  });

  df.app.activity(VALIDATE_TEST_SET, {
    handler: async (input: PipelineInput & { contractRevision: number }): Promise<ValidationStep> => {
      const test = input.test as BronzeBatch;
      const stored = await deps.dataPlane().contracts.revision(input.batch.dataset, input.contractRevision);
      const blobs = deps.storage().blobs;
      // A test set is checked against the contract but kept out of the dataset's dedup memory and silver versions.
      const outcome = await validateBatch(blobs, readBlobChunks(blobs, test.bronze), {
        contract: stored.contract, contractRevision: stored.revision, piiSalt: settings.piiSalt, source: test.source,
        targets: batchLayers(settings.containers, input.batch.dataset, `test-${test.sha256}`, stored.revision),
      });
      return { status: outcome.status, rows: outcome.rows, errors: outcome.errors, warnings: outcome.warnings, layers: outcome.layers };
    },
  });

  // Settings are read in an activity: orchestrators must not read the environment.
  df.app.activity(TRAINING_SETTINGS, { handler: async () => settings.training });

  df.app.activity(RECORD_RUN, {
    extraOutputs: [auditOutput],
    handler: async ({ result, audit }: { result: PipelineResult; audit: AuditStamp }, context: InvocationContext): Promise<void> => {
      await new RunsStore<PipelineResult>(() => deps.storage().table(settings.tables.runs)).save(result);
      emitAudit(context, {
        id: `run-${result.instanceId}-${audit.run}`, when: audit.at, who: 'system', what: 'pipeline.finished', outcome: result.status, instanceId: result.instanceId,
        why: result.errors[0] ?? `rows read ${result.rows.read} = accepted ${result.rows.accepted} + quarantined ${result.rows.quarantined} + duplicates ${result.rows.duplicates}`,
        subjects: { dataset: result.dataset, batch: result.sha256 },
      });
    },
  });
}
