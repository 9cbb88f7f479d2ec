import type { TrialResult } from './train-trial.activity';
import type { ModelMetrics } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { loadArtifact } from '../registry/model-artifact';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobRef, putBlob } from '../storage/blob-io';
import { evaluationBlob } from '../storage/blob-layout';
import { evaluateCandidate, scoreChampion } from './evaluate-model';
import { HOLDOUT, silversOf } from './training-run';
import { loadTrainingSet, readTrainingPlan } from './training-set';

/** The best trial to evaluate on its plan's evaluation set. */
export interface EvaluateInput {
  plan: BlobRef;
  best: TrialResult;
  model: string;
  seed: number;
  test?: BlobRef;
}

/** The evaluation the registry records: metrics, baseline, the champion on the same set, and where the details are. */
export interface Evaluation {
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  champion?: { version: number; metrics: ModelMetrics };
  evaluation: { kind: 'test-set' | 'holdout'; rows: number; source: string };
  details: BlobRef;
}

export const TRAIN_EVALUATE = activity<EvaluateInput, Evaluation>('trainEvaluate');

/** Evaluates the best trial and the current champion on the same rows and stores the details next to the artifact. */
export function trainEvaluate(deps: AppDependencies): ActivityHandler<EvaluateInput, Evaluation> {
  return async (input) => {
    const blobs = deps.storage().blobs;
    const plan = await readTrainingPlan(blobs, input.plan);
    const set = await loadTrainingSet(blobs, plan);
    const { model } = await loadArtifact(blobs, input.best.artifact);
    const { task } = plan.pipeline;
    const candidate = evaluateCandidate(set, model, task, input.seed);
    const champion = await scoreChampion(deps.registry(), blobs, input.model, set.evaluationRows, set.evaluation.labels, task);
    const evaluation = {
      kind: plan.test ? 'test-set' as const : 'holdout' as const,
      rows: set.evaluation.labels.length,
      source: plan.test ? `${plan.test.container}/${plan.test.name}` : `${Math.round(HOLDOUT * 100)}% stratified holdout of ${silversOf(plan).map((s) => s.name).join(' + ')}`,
    };
    const details = evaluationBlob(deps.settings.containers, input.model, input.best.artifact.sha256);
    await putBlob(blobs, details, JSON.stringify({ metrics: candidate.metrics, calibration: candidate.calibration, importance: candidate.importance, evaluation }), 'application/json');
    return { metrics: candidate.metrics, baseline: candidate.baseline, champion, evaluation, details };
  };
}
