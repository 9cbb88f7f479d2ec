import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { outputColumns } from '../../Dps.Domain/data/accepted-row';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { permutationImportance } from '../../Dps.Domain/ml/permutation-importance';
import { gainImportance } from '../../Dps.Domain/ml/feature-importance';
import { fitFeaturePipeline, transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { trainGbdt } from '../../Dps.Domain/ml/gbdt-trainer';
import { headlineMetrics } from '../../Dps.Domain/ml/headline-metrics';
import { generateTrials, pickBestTrial, TrialSpec } from '../../Dps.Domain/ml/hyperparameter-trials';
import { predictLinear, trainLinear } from '../../Dps.Domain/ml/linear-trainer';
import { predictMatrix } from '../../Dps.Domain/ml/tree-predictor';
import { auc } from '../../Dps.Domain/ml/binary-metrics';
import { rmse } from '../../Dps.Domain/ml/regression-metrics';
import { gateNewVersion } from '../../Dps.Domain/registry/alias-gate';
import type { CardImportance } from '../../Dps.Domain/registry/model-card';
import type { ArtifactRef, ModelMetrics, TrialRecord } from '../../Dps.Domain/registry/model-version';
import { BlobRef, getBlob, putBlob } from '../storage/blob-io';
import { auditOutput, emitAudit } from '../audit/audit-output';
import type { AppDependencies } from '../app-dependencies';
import { loadArtifact, saveArtifact } from '../registry/model-artifact';
import { evaluationBlob, trainingPlanBlob } from '../storage/blob-layout';
import { readSilverRows } from '../datasets/silver-rows';
import { loadTrainingSet, TrainingPlan } from './training-set';

export const TRAIN_MODEL = 'trainModel';
export const TRAIN_PREPARE = 'trainPrepare';
export const TRAIN_TRIAL = 'trainTrial';
export const TRAIN_EVALUATE = 'trainEvaluate';
export const TRAIN_REGISTER = 'trainRegister';

/** What the pipeline hands the training sub-orchestration. */
export interface TrainModelInput {
  model: string;
  dataset: string;
  datasetSha256: string;
  contractRevision: number;
  silver: BlobRef;
  test?: BlobRef;
  pipelineInstanceId: string;
  submittedBy: string;
  trials: number;
  seed: number;
}

/** The registered model, as the pipeline result reports it. */
export interface TrainedModel {
  name: string;
  version: number;
  task: 'binary' | 'regression';
  algorithm: 'gbdt';
  alias: 'champion' | 'challenger';
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  trials: number;
  evaluation: { kind: 'test-set' | 'holdout'; rows: number };
}

type Prepared = { ok: true; plan: BlobRef; task: 'binary' | 'regression'; features: number; rows: { train: number; evaluation: number; droppedUnlabelled: number } } | { ok: false; reason: string };

interface TrialResult {
  trial: number;
  params: TrialSpec['params'];
  validationLoss: number;
  bestIteration: number;
  artifact: ArtifactRef;
}

interface Evaluation {
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  champion?: { version: number; metrics: ModelMetrics };
  evaluation: { kind: 'test-set' | 'holdout'; rows: number; source: string };
  details: BlobRef;
}

const HOLDOUT = 0.2;
/** Permutation importance is scored on at most this many evaluation rows, to bound its cost. */
const IMPORTANCE_ROWS = 5000;

/** Train -> evaluate -> register as one sub-orchestration: trials fan out as parallel activities. */
function* trainModelOrchestrator(context: OrchestrationContext): Generator<df.Task, TrainedModel | { failed: string }, unknown> {
  const input = context.df.getInput() as TrainModelInput;
  const prepared = (yield context.df.callActivity(TRAIN_PREPARE, input)) as Prepared;
  if (!prepared.ok) return { failed: prepared.reason };
  context.df.setCustomStatus({ stage: 'trials', trials: input.trials });
  const specs = generateTrials(input.trials, input.seed);
  const results = (yield context.df.Task.all(specs.map((spec) => context.df.callActivity(TRAIN_TRIAL, { plan: prepared.plan, spec, model: input.model, seed: input.seed })))) as TrialResult[];
  const best = pickBestTrial(results);
  if (!best.ok) return { failed: `no trial produced a usable model: ${best.error}` };
  context.df.setCustomStatus({ stage: 'evaluate', bestTrial: best.value.trial });
  const evaluation = (yield context.df.callActivity(TRAIN_EVALUATE, { plan: prepared.plan, best: best.value, model: input.model, seed: input.seed, test: input.test })) as Evaluation;
  context.df.setCustomStatus({ stage: 'register' });
  return (yield context.df.callActivity(TRAIN_REGISTER, { input, plan: prepared.plan, best: best.value, trials: results, evaluation, task: prepared.task })) as TrainedModel;
}

/** Registers the training sub-orchestration and its activities. */
export function registerTrainModel(deps: AppDependencies): void {
  const { settings } = deps;
  const blobs = () => deps.storage().blobs;
  const readPlan = async (ref: BlobRef): Promise<TrainingPlan> => JSON.parse(((await getBlob(blobs(), ref)) as Buffer).toString('utf8')) as TrainingPlan;

  df.app.orchestration(TRAIN_MODEL, trainModelOrchestrator);

  df.app.activity(TRAIN_PREPARE, {
    handler: async (input: TrainModelInput): Promise<Prepared> => {
      const stored = await deps.dataPlane().contracts.revision(input.dataset, input.contractRevision);
      const rows = await readSilverRows(blobs(), input.silver);
      if (rows.length === 0) return { ok: false, reason: 'the batch has no accepted rows to train on' };
      const pipeline = fitFeaturePipeline(stored.contract, outputColumns(stored.contract), rows);
      if (!pipeline.ok) return { ok: false, reason: pipeline.error };
      const plan: TrainingPlan = { pipeline: pipeline.value, silver: input.silver, test: input.test, holdoutFraction: HOLDOUT, seed: input.seed };
      const ref = trainingPlanBlob(settings.containers, input.dataset, input.datasetSha256, input.contractRevision);
      await putBlob(blobs(), ref, JSON.stringify(plan), 'application/json');
      const set = await loadTrainingSet(blobs(), plan);
      if (set.train.labels.length < 10) return { ok: false, reason: `only ${set.train.labels.length} labelled training rows; at least 10 are needed` };
      if (set.evaluation.labels.length === 0) return { ok: false, reason: 'the evaluation set has no labelled rows' };
      return { ok: true, plan: ref, task: pipeline.value.task, features: pipeline.value.features.length, rows: { train: set.train.labels.length, evaluation: set.evaluation.labels.length, droppedUnlabelled: set.droppedUnlabelled } };
    },
  });

  df.app.activity(TRAIN_TRIAL, {
    handler: async (input: { plan: BlobRef; spec: TrialSpec; model: string; seed: number }): Promise<TrialResult> => {
      const plan = await readPlan(input.plan);
      const set = await loadTrainingSet(blobs(), plan);
      const trained = trainGbdt(set.train.matrix, set.train.labels, { objective: plan.pipeline.task, ...input.spec.params }, input.seed);
      if (!trained.ok) throw new Error(`trial ${input.spec.trial}: ${trained.error}`);
      const artifact = await saveArtifact(blobs(), settings.containers, input.model, plan.pipeline, trained.value.model);
      return { trial: input.spec.trial, params: input.spec.params, validationLoss: trained.value.validationLoss, bestIteration: trained.value.bestIteration, artifact };
    },
  });

  df.app.activity(TRAIN_EVALUATE, {
    handler: async (input: { plan: BlobRef; best: TrialResult; model: string; seed: number; test?: BlobRef }): Promise<Evaluation> => {
      const plan = await readPlan(input.plan);
      const set = await loadTrainingSet(blobs(), plan);
      const { model } = await loadArtifact(blobs(), input.best.artifact);
      const { task } = plan.pipeline;
      const predictions = predictMatrix(model, set.evaluation.matrix);
      if (!predictions.ok) throw new Error(predictions.error);
      const headline = headlineMetrics(task, set.evaluation.labels, predictions.value);
      if (!headline.ok) throw new Error(headline.error);
      const linear = trainLinear(set.train.matrix, set.train.labels, { objective: task });
      const linearPredictions = linear.ok ? predictLinear(linear.value, set.evaluation.matrix) : linear;
      const baseline = linearPredictions.ok ? headlineMetrics(task, set.evaluation.labels, linearPredictions.value) : linearPredictions;
      const capped = Math.min(IMPORTANCE_ROWS, set.evaluation.labels.length);
      const indices = Int32Array.from({ length: capped }, (_, i) => i);
      const permutation = permutationImportance(
        selectRows(set.evaluation.matrix, indices), selectValues(set.evaluation.labels, indices),
        (m) => predictMatrix(model, m), task === 'binary' ? auc : (y, p) => -rmse(y, p), 2, input.seed,
      );
      const gain = gainImportance(model);
      const importance: CardImportance[] = gain.map((g) => ({
        feature: g.feature, gain: g.importance,
        permutation: permutation.ok ? (permutation.value.find((p) => p.feature === g.feature)?.importance ?? 0) : 0,
      }));
      const champion = await scoreChampion(input.model, set.evaluationRows, set.evaluation.labels, task);
      const evaluation = { kind: plan.test ? 'test-set' as const : 'holdout' as const, rows: set.evaluation.labels.length, source: plan.test ? `${plan.test.container}/${plan.test.name}` : `${Math.round(HOLDOUT * 100)}% stratified holdout of ${plan.silver.name}` };
      const details = evaluationBlob(settings.containers, input.model, input.best.artifact.sha256);
      await putBlob(blobs(), details, JSON.stringify({ metrics: headline.value.metrics, calibration: headline.value.calibration ?? [], importance, evaluation }), 'application/json');
      return { metrics: headline.value.metrics, baseline: baseline.ok ? baseline.value.metrics : {}, champion, evaluation, details };
    },
  });

  /** Scores the current champion on the same evaluation rows, through its own feature pipeline. */
  async function scoreChampion(modelName: string, rows: Record<string, TypedValue>[], labels: Float64Array, task: 'binary' | 'regression') {
    const registry = deps.registry();
    const champion = (await registry.aliasesOf(modelName)).find((a) => a.alias === 'champion');
    if (!champion) return undefined;
    const version = await registry.version(modelName, champion.version);
    if (!version || version.task !== task) return undefined;
    const loaded = await loadArtifact(blobs(), version.artifact);
    const predictions = predictMatrix(loaded.model, transformRows(loaded.pipeline, rows));
    if (!predictions.ok) return undefined;
    const metrics = headlineMetrics(task, labels, predictions.value);
    return metrics.ok ? { version: champion.version, metrics: metrics.value.metrics } : undefined;
  }

  df.app.activity(TRAIN_REGISTER, {
    extraOutputs: [auditOutput],
    handler: async (
      input: { input: TrainModelInput; plan: BlobRef; best: TrialResult; trials: TrialResult[]; evaluation: Evaluation; task: 'binary' | 'regression' },
      context: InvocationContext,
    ): Promise<TrainedModel> => {
      const registry = deps.registry();
      const { input: run, best, evaluation, task } = input;
      const plan = await readPlan(input.plan);
      const trials: TrialRecord[] = input.trials.map((t) => ({ trial: t.trial, params: { ...t.params }, validationLoss: t.validationLoss, bestIteration: t.bestIteration }));
      // A re-executed activity finds the version it registered (same run, same artifact) and reuses it,
      // with its timestamps, so neither the registry nor the audit chain gets a second entry.
      const existing = (await registry.versions(run.model)).find((v) => v.lineage.pipelineInstanceId === run.pipelineInstanceId && v.artifact.sha256 === best.artifact.sha256);
      const version = existing ?? await registry.register({
        model: run.model, task, algorithm: 'gbdt', artifact: best.artifact, signature: plan.pipeline.features,
        metrics: evaluation.metrics, baseline: evaluation.baseline,
        lineage: {
          dataset: run.dataset, datasetSha256: run.datasetSha256, contractRevision: run.contractRevision, silver: run.silver,
          evaluation: evaluation.evaluation, codeVersion: deps.version, seed: run.seed, params: { ...best.params, bestIteration: best.bestIteration, trial: best.trial },
          trials, pipelineInstanceId: run.pipelineInstanceId,
        },
        createdAt: new Date().toISOString(), createdBy: run.submittedBy,
      });
      emitAudit(context, {
        id: `model-${run.model}-v${version.version}`, when: version.createdAt, who: run.submittedBy, what: 'model.registered', outcome: 'registered', instanceId: run.pipelineInstanceId,
        why: `best of ${trials.length} trials (trial ${best.trial}); ${Object.entries(evaluation.metrics).slice(0, 2).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} on the ${evaluation.evaluation.kind}`,
        subjects: { model: run.model, version: String(version.version), dataset: run.dataset }, details: { metrics: evaluation.metrics, artifact: best.artifact.name },
      });
      const aliases = await registry.aliasesOf(run.model);
      let gate = aliases.find((a) => a.version === version.version);
      if (!gate) {
        gate = gateNewVersion({
          model: run.model, version: version.version, task, metrics: evaluation.metrics,
          champion: evaluation.champion ? { version: evaluation.champion.version, metricsOnSameSet: evaluation.champion.metrics } : aliases.find((a) => a.alias === 'champion'),
          who: run.submittedBy, at: version.createdAt,
        });
        await registry.moveAlias(gate);
      }
      emitAudit(context, {
        id: `alias-${run.model}-${gate.alias}-v${version.version}`, when: gate.at, who: run.submittedBy, what: 'model.alias.moved', outcome: gate.alias, instanceId: run.pipelineInstanceId,
        why: gate.why, subjects: { model: run.model, version: String(version.version) }, details: { comparison: gate.comparison ?? null },
      });
      return {
        name: run.model, version: version.version, task, algorithm: 'gbdt', alias: gate.alias, metrics: evaluation.metrics, baseline: evaluation.baseline,
        trials: trials.length, evaluation: { kind: evaluation.evaluation.kind, rows: evaluation.evaluation.rows },
      };
    },
  });
}
