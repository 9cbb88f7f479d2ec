import { scoreCandidate } from '../../Dps.Domain/ml/candidate-scoring';
import type { FeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';
import type { LinearParams } from '../../Dps.Domain/ml/linear-trainer';
import type { AppDependencies } from '../app-dependencies';
import { TRAIN_LINEAR } from '../compute/compute-tasks';
import { saveArtifact } from '../registry/model-artifact';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import type { CandidateResult } from './candidate-result';
import { runClassWeights } from './class-weighting';
import { loadTrainingSet, readTrainingPlan } from './training-set';

/** The linear baseline to train on a stored plan. */
export interface BaselineInput {
  plan: BlobRef;
  model: string;
  classWeights: 'auto' | 'none';
}

/** The linear baseline's parameters for a pipeline's task (the refit reuses them). */
export function baselineParams(pipeline: FeaturePipeline): Partial<LinearParams> & Pick<LinearParams, 'objective'> {
  return { objective: pipeline.task, ...(pipeline.task === 'multiclass' ? { numClasses: pipeline.label.classes?.length ?? 0 } : {}) };
}

export const TRAIN_BASELINE = activity<BaselineInput, CandidateResult>('trainBaseline');

/** Trains the linear baseline on the fit rows in the compute pool (same rows and weights as the trials), scores it on the validation split and stores its bundle. */
export function trainBaseline(deps: AppDependencies): ActivityHandler<BaselineInput, CandidateResult> {
  return async (input): Promise<CandidateResult> => {
    const blobs = deps.storage().blobs;
    const plan = await readTrainingPlan(blobs, input.plan);
    const set = await loadTrainingSet(blobs, plan);
    const { pipeline } = plan;
    const weights = runClassWeights(pipeline, set.fit.labels, input.classWeights);
    const trained = await deps.compute().run(TRAIN_LINEAR, { matrix: set.fit.matrix, labels: set.fit.labels, params: baselineParams(pipeline), weights: weights.rowWeights });
    // A baseline that cannot be fitted (e.g. collinear inputs) leaves the trials to compete among themselves.
    if (!trained.ok) return { id: 'linear-baseline', kind: 'linear', params: {}, metrics: {}, failed: trained.error };
    const model = { kind: 'linear' as const, model: trained.value };
    const metrics = scoreCandidate(model, set.validation);
    if (!metrics.ok) throw new Error(`linear baseline on the validation split: ${metrics.error}`);
    const artifact = await saveArtifact(blobs, deps.settings.containers, input.model, { pipeline, model, calibration: { method: 'none' }, threshold: 0.5 });
    return { id: 'linear-baseline', kind: 'linear', params: { l2: 1 }, metrics: metrics.value, artifact };
  };
}
