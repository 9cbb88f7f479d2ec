import { scoreCandidate } from '../../Dps.Domain/ml/candidate-scoring';
import type { TrialSpec } from '../../Dps.Domain/ml/hyperparameter-trials';
import type { FeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';
import type { GbdtParams } from '../../Dps.Domain/ml/gbdt-params';
import { gbdtDefaultsFor } from '../../Dps.Domain/ml/small-data-defaults';
import type { AppDependencies } from '../app-dependencies';
import { TRAIN_GBDT } from '../compute/compute-tasks';
import { saveArtifact } from '../registry/model-artifact';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import type { CandidateResult } from './candidate-result';
import { runClassWeights } from './class-weighting';
import { loadTrainingSet, readTrainingPlan } from './training-set';

/** One trial to run on a stored plan. */
export interface TrialInput {
  plan: BlobRef;
  spec: TrialSpec;
  model: string;
  seed: number;
  classWeights: 'auto' | 'none';
}

/** A trial's full GBDT parameters: the small-data defaults for the fit rows under the trial's own draws (the refit reuses them). */
export function trialGbdtParams(pipeline: FeaturePipeline, fitRows: number, trial: Record<string, number>): Partial<GbdtParams> & Pick<GbdtParams, 'objective'> {
  return {
    ...gbdtDefaultsFor(pipeline.task, fitRows), ...trial,
    ...(pipeline.task === 'multiclass' ? { numClasses: pipeline.label.classes?.length ?? 0 } : {}),
  };
}

export const TRAIN_TRIAL = activity<TrialInput, CandidateResult>('trainTrial');

/**
 * Trains one hyperparameter trial on the fit rows in the compute pool (the small-data defaults under the
 * trial's parameters, early stopping on its own holdout of the fit rows), scores it on the validation split
 * and stores its bundle (content-addressed).
 */
export function trainTrial(deps: AppDependencies): ActivityHandler<TrialInput, CandidateResult> {
  return async (input) => {
    const blobs = deps.storage().blobs;
    const plan = await readTrainingPlan(blobs, input.plan);
    const set = await loadTrainingSet(blobs, plan);
    const { pipeline } = plan;
    const weights = runClassWeights(pipeline, set.fit.labels, input.classWeights);
    const params = trialGbdtParams(pipeline, set.fit.labels.length, input.spec.params);
    const trained = await deps.compute().run(TRAIN_GBDT, { matrix: set.fit.matrix, labels: set.fit.labels, params, seed: input.seed, weights: weights.rowWeights });
    if (!trained.ok) throw new Error(`trial ${input.spec.trial}: ${trained.error}`);
    const model = { kind: 'gbdt' as const, model: trained.value.model };
    const metrics = scoreCandidate(model, set.validation);
    if (!metrics.ok) throw new Error(`trial ${input.spec.trial} on the validation split: ${metrics.error}`);
    const artifact = await saveArtifact(blobs, deps.settings.containers, input.model, { pipeline, model, calibration: { method: 'none' }, threshold: 0.5 });
    return {
      id: `trial-${input.spec.trial}`, kind: 'gbdt', trial: input.spec.trial, params: { ...input.spec.params },
      validationLoss: trained.value.validationLoss, bestIteration: trained.value.bestIteration, trainedRows: trained.value.trainRows, metrics: metrics.value, artifact,
    };
  };
}
