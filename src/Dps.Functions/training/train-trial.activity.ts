import { trainGbdt } from '../../Dps.Domain/ml/gbdt-trainer';
import type { TrialSpec } from '../../Dps.Domain/ml/hyperparameter-trials';
import type { ArtifactRef } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { saveArtifact } from '../registry/model-artifact';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { loadTrainingSet, readTrainingPlan } from './training-set';

/** One trial to run on a stored plan. */
export interface TrialInput {
  plan: BlobRef;
  spec: TrialSpec;
  model: string;
  seed: number;
}

/** A trained trial: its parameters, its validation loss and the artifact it stored. */
export interface TrialResult {
  trial: number;
  params: TrialSpec['params'];
  validationLoss: number;
  bestIteration: number;
  artifact: ArtifactRef;
}

export const TRAIN_TRIAL = activity<TrialInput, TrialResult>('trainTrial');

/** Trains one hyperparameter trial and stores its model artifact (content-addressed). */
export function trainTrial(deps: AppDependencies): ActivityHandler<TrialInput, TrialResult> {
  return async (input) => {
    const blobs = deps.storage().blobs;
    const plan = await readTrainingPlan(blobs, input.plan);
    const set = await loadTrainingSet(blobs, plan);
    const trained = trainGbdt(set.train.matrix, set.train.labels, { objective: plan.pipeline.task, ...input.spec.params }, input.seed);
    if (!trained.ok) throw new Error(`trial ${input.spec.trial}: ${trained.error}`);
    const artifact = await saveArtifact(blobs, deps.settings.containers, input.model, plan.pipeline, trained.value.model);
    return { trial: input.spec.trial, params: input.spec.params, validationLoss: trained.value.validationLoss, bestIteration: trained.value.bestIteration, artifact };
  };
}
