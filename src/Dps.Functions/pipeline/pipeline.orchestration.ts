import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { describeFinding, NO_ROWS } from '../../Dps.Domain/data/validation-report';
import type { AppDependencies } from '../app-dependencies';
import type { AuditStamp } from '../audit/audit-output';
import { call, callOrchestration, orchestration, registerActivity, registerOrchestration } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { TRAIN_MODEL } from '../training/train-model.orchestration';
import type { TrainModelInput } from '../training/training-run';
import type { PipelineInput, PipelineResult } from './pipeline-run';
import { PROFILE_SILVER, profileStep } from './profile.activity';
import { PUBLISH_FEATURES, publishFeatures } from './publish-features.activity';
import { START_ROLLOUT } from '../rollout/start-rollout.activity';
import { RECORD_RUN, recordRun } from './record-run.activity';
import { RESOLVE_CONTRACT, resolveContract } from './resolve-contract.activity';
import { StageTracker } from './stage-tracker';
import { TRAINING_SETTINGS, trainingSettings } from './training-settings.activity';
import { VALIDATE_BATCH, validateBatchStep } from './validate-batch.activity';
import { VALIDATE_TEST_SET, validateTestSet } from './validate-test-set.activity';
import { BATCH_DRIFT, batchDrift } from '../drift/batch-drift.activity';
import type { LineageRun } from '../lineage/lineage-facts';
import { withLineage } from '../lineage/lineage-tracked';
import { PIPELINE_LINEAGE } from '../lineage/pipeline-lineage';

/** The pipeline orchestration: contract -> validate -> profile -> (test set) -> train, then record. */
export const PIPELINE = orchestration<PipelineInput, PipelineResult>('pipeline');

// A storage hiccup while validating is retried; a rejected batch is an outcome, not a failure.
const VALIDATE_RETRY = new df.RetryOptions(2000, 3);

function* pipelineOrchestrator(context: OrchestrationContext, input: PipelineInput, lineage: LineageRun): Generator<Task, PipelineResult, unknown> {
  const { batch } = input;
  const tracker = new StageTracker();
  const now = () => context.df.currentUtcDateTime;
  const runStartedAt = now().toISOString();
  const stamp = (): AuditStamp => ({ run: runStartedAt, at: now().toISOString() });
  const result: PipelineResult = {
    instanceId: context.df.instanceId, dataset: batch.dataset, sha256: batch.sha256, status: 'accepted', landedAt: input.landedAt,
    rows: NO_ROWS, stages: tracker.stages, errors: [], warnings: [],
  };
  const publish = () => context.df.setCustomStatus({ dataset: batch.dataset, stages: tracker.stages, rows: result.rows });
  try {
    tracker.begin('contract', now());
    publish();
    const contract = yield* call(context, RESOLVE_CONTRACT, input);
    if (!contract.ok) {
      tracker.end('rejected', now(), contract.reason);
      result.status = 'rejected';
      result.errors.push(contract.reason);
    } else {
      tracker.end('succeeded', now(), `revision ${contract.revision} (${contract.origin})`);
      result.contract = { revision: contract.revision, origin: contract.origin, label: contract.label };
      tracker.begin('validate', now());
      publish();
      const validation = yield* call(context, VALIDATE_BATCH, { ...input, contractRevision: contract.revision, instanceId: context.df.instanceId, audit: stamp() }, VALIDATE_RETRY);
      result.rows = validation.rows;
      result.errors.push(...validation.errors.map(describeFinding));
      result.warnings.push(...validation.warnings.map(describeFinding));
      result.layers = validation.layers;
      if (validation.status === 'rejected' || validation.silverVersion === undefined) {
        tracker.end('rejected', now(), result.errors[0]);
        result.status = 'rejected';
      } else {
        tracker.end('succeeded', now(), `${validation.rows.accepted} accepted, ${validation.rows.quarantined} quarantined, ${validation.rows.duplicates} duplicates`);
        const silver = validation.layers.silver;
        result.silver = { version: validation.silverVersion, blob: silver };
        tracker.begin('profile', now());
        publish();
        const profiled = yield* call(context, PROFILE_SILVER, { dataset: batch.dataset, sha256: batch.sha256, contractRevision: contract.revision, silver });
        result.profile = profiled.profile;
        tracker.end('succeeded', now(), `${profiled.columns} columns profiled`);
        yield* call(context, PUBLISH_FEATURES, { dataset: batch.dataset, contractRevision: contract.revision, silver });
        // The drift stage exists only for a dataset with a champion: the activity says whether it has one.
        const driftStarted = now();
        const drift = yield* call(context, BATCH_DRIFT, { dataset: batch.dataset, sha256: batch.sha256, silver, instanceId: context.df.instanceId, audit: stamp() });
        if (drift.status === 'compared') {
          result.drift = drift;
          tracker.begin('drift', driftStarted);
          tracker.end('succeeded', now(), `${drift.datasetDrift ? 'drift' : 'no drift'} against v${drift.version}: ${drift.drifted} of ${drift.evaluated} features drifted`);
        }
        yield* trainIfLabelled(context, input, result, tracker, { label: contract.label, contractRevision: contract.revision, silver }, publish, lineage);
      }
    }
  } catch (error) {
    tracker.end('failed', now(), (error as Error).message);
    result.status = 'failed';
    result.errors.push((error as Error).message);
  }
  publish();
  yield* call(context, RECORD_RUN, { result, audit: stamp() });
  return result;
}

/** The training part of the pipeline: test-set validation, then the `trainModel` sub-orchestration. */
function* trainIfLabelled(
  context: OrchestrationContext, input: PipelineInput, result: PipelineResult, tracker: StageTracker,
  accepted: { label?: string; contractRevision: number; silver: BlobRef }, publish: () => void, lineage: LineageRun,
): Generator<Task, void, unknown> {
  const now = () => context.df.currentUtcDateTime;
  const { label, contractRevision } = accepted;
  if (!label) {
    tracker.skip('train', now(), 'the contract names no label column');
    return;
  }
  let test: BlobRef | undefined;
  let testValidation: TrainModelInput['testValidation'];
  if (input.test) {
    tracker.begin('test-set', now());
    publish();
    const checked = yield* call(context, VALIDATE_TEST_SET, { ...input, contractRevision });
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
    testValidation = { rows: checked.rows, reasons: checked.warnings.map(describeFinding), quarantine: checked.layers.quarantine };
  }
  tracker.begin('train', now());
  publish();
  const settings = yield* call(context, TRAINING_SETTINGS, undefined);
  const trained = yield* callOrchestration(context, TRAIN_MODEL, {
    model: input.batch.dataset, dataset: input.batch.dataset, datasetSha256: input.batch.sha256, contractRevision,
    silver: accepted.silver, test, testValidation, pipelineInstanceId: context.df.instanceId, lineageParent: lineage, submittedBy: input.submittedBy, ...settings,
  }, `${context.df.instanceId}-train`);
  if ('failed' in trained) {
    tracker.end('rejected', now(), trained.failed);
    result.status = 'rejected';
    result.errors.push(`training: ${trained.failed}`);
    return;
  }
  result.model = trained;
  // A new challenger goes into its canary (the rollout slice honours DPS_ROLLOUT_AUTO); the pipeline does not wait for it.
  if (trained.alias === 'challenger') result.rollout = yield* call(context, START_ROLLOUT, { model: trained.name, version: trained.version, requestedBy: input.submittedBy });
  result.warnings.push(...trained.warnings);
  tracker.end('succeeded', now(), `${trained.name} v${trained.version} (${trained.alias}), ${trained.trials} trials`);
}

/** Registers the pipeline orchestration and its activities. */
export function registerPipeline(deps: AppDependencies): void {
  registerOrchestration(PIPELINE, withLineage(PIPELINE_LINEAGE, pipelineOrchestrator));
  registerActivity(RESOLVE_CONTRACT, resolveContract(deps));
  registerActivity(VALIDATE_BATCH, validateBatchStep(deps));
  registerActivity(PROFILE_SILVER, profileStep(deps));
  registerActivity(PUBLISH_FEATURES, publishFeatures(deps));
  registerActivity(BATCH_DRIFT, batchDrift(deps));
  registerActivity(VALIDATE_TEST_SET, validateTestSet(deps));
  registerActivity(TRAINING_SETTINGS, trainingSettings(deps));
  registerActivity(RECORD_RUN, recordRun(deps));
}
