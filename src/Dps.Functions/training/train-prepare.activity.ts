import type { BlobServiceClient } from '@azure/storage-blob';
import { outputColumns } from '../../Dps.Domain/data/accepted-row';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { FeaturePipeline, Task, fitFeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';
import { Result, err } from '../../Dps.Domain/result';
import type { AppDependencies } from '../app-dependencies';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobRef, putBlob } from '../storage/blob-io';
import { trainingPlanBlob, trainingSetBlob } from '../storage/blob-layout';
import { silverParquetColumns } from '../storage/parquet-writer';
import { loadTrainingSet, readSilverWindow, TrainingPlan, writeTrainingSet } from './training-set';
import { HOLDOUT, silversOf, TrainModelInput, VALIDATION } from './training-run';

/** A stored training plan and what it holds, or why the batch cannot be trained on. */
export type Prepared =
  | { ok: true; plan: BlobRef; task: Task; features: number; warnings: string[]; rows: { fit: number; validation: number; evaluation: number; droppedUnlabelled: number } }
  | { ok: false; reason: string };

export const TRAIN_PREPARE = activity<TrainModelInput, Prepared>('trainPrepare');

/** Fits the feature pipeline on the silver rows (task decided by the contract and the label's values), stores the plan in gold and checks there is enough to train on. */
export function trainPrepare(deps: AppDependencies): ActivityHandler<TrainModelInput, Prepared> {
  return async (input) => {
    const blobs = deps.storage().blobs;
    const stored = await deps.dataPlane().contracts.revision(input.dataset, input.contractRevision);
    const pipeline = await fitPipelineOnSilver(blobs, input, stored.contract);
    if (!pipeline.ok) return { ok: false, reason: pipeline.error };
    const plan: TrainingPlan = {
      pipeline: pipeline.value, silver: input.silver, silverWindow: input.silverWindow, test: input.test,
      holdoutFraction: HOLDOUT, validationFraction: VALIDATION, seed: input.seed,
    };
    const ref = trainingPlanBlob(deps.settings.containers, input.dataset, input.datasetSha256, input.contractRevision, input.silverWindow?.length);
    await putBlob(blobs, ref, JSON.stringify(plan), 'application/json');
    let set;
    try {
      set = await loadTrainingSet(blobs, plan);
    } catch (error) {
      return { ok: false, reason: `too few labelled rows to split: ${(error as Error).message}` };
    }
    const training = set.fit.labels.length + set.validation.labels.length;
    if (training < 10) return { ok: false, reason: `only ${training} labelled training rows; at least 10 are needed` };
    if (set.evaluation.labels.length === 0) return { ok: false, reason: 'the evaluation set has no labelled rows' };
    const goldSet = trainingSetBlob(deps.settings.containers, input.dataset, input.datasetSha256, input.contractRevision, input.silverWindow?.length);
    await writeTrainingSet(blobs, plan, set, silverParquetColumns(stored.contract), goldSet);
    return {
      ok: true, plan: ref, task: pipeline.value.task, features: pipeline.value.features.length, warnings: pipeline.value.warnings ?? [],
      rows: { fit: set.fit.labels.length, validation: set.validation.labels.length, evaluation: set.evaluation.labels.length, droppedUnlabelled: set.droppedUnlabelled },
    };
  };
}

/**
 * Fits the feature pipeline on the run's silver rows. Its own function, so the rows it reads can be collected
 * before the training set reads them again (two copies of every row object at once doubled the peak at 1M rows).
 */
async function fitPipelineOnSilver(blobs: BlobServiceClient, input: TrainModelInput, contract: DataContract): Promise<Result<FeaturePipeline>> {
  const rows = await readSilverWindow(blobs, silversOf(input));
  if (rows.length === 0) return err('the batch has no accepted rows to train on');
  return fitFeaturePipeline(contract, outputColumns(contract), rows, input.maxClasses);
}
