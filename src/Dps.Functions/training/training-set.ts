import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { randomHoldout, stratifiedHoldout } from '../../Dps.Domain/ml/data-split';
import { selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { FeaturePipeline, labelledData } from '../../Dps.Domain/ml/feature-pipeline';
import type { LabelledMatrix } from '../../Dps.Domain/ml/gbdt-trainer';
import { BlobRef, getBlob } from '../storage/blob-io';
import { readSilverRows } from '../datasets/silver-rows';
import { silversOf } from './training-run';

/** How a training run's data is defined; small, so it travels through the orchestration. */
export interface TrainingPlan {
  pipeline: FeaturePipeline;
  silver: BlobRef;
  /** Every silver blob of a training window (see silversOf). */
  silverWindow?: BlobRef[];
  /** Silver of a separate test batch; without it a stratified holdout is the evaluation set. */
  test?: BlobRef;
  holdoutFraction: number;
  seed: number;
}

/** The matrices a plan yields, plus the raw evaluation rows (to score other models on the same set). */
export interface TrainingSet {
  train: LabelledMatrix;
  evaluation: LabelledMatrix;
  evaluationRows: Record<string, TypedValue>[];
  droppedUnlabelled: number;
}

/** Reads the rows of several silver blobs, in order, as one set. */
export async function readSilverWindow(blobs: BlobServiceClient, refs: readonly BlobRef[]): Promise<Record<string, TypedValue>[]> {
  return (await Promise.all(refs.map((ref) => readSilverRows(blobs, ref)))).flat();
}

/** Reads a training plan stored by the prepare step; a missing one is an error naming the blob. */
export async function readTrainingPlan(blobs: BlobServiceClient, ref: BlobRef): Promise<TrainingPlan> {
  const body = await getBlob(blobs, ref);
  if (!body) throw new Error(`training plan ${ref.container}/${ref.name} is missing`);
  return JSON.parse(body.toString('utf8')) as TrainingPlan;
}

// Trials of one run land on the same worker often; rebuilding the same matrices each time is waste.
const cache = new Map<string, Promise<TrainingSet>>();
const CACHE_LIMIT = 4;

/** Builds (or reuses) the training and evaluation matrices of a plan; deterministic for the plan. */
export function loadTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan): Promise<TrainingSet> {
  const key = JSON.stringify([silversOf(plan), plan.test, plan.holdoutFraction, plan.seed, plan.pipeline.features.length]);
  let entry = cache.get(key);
  if (!entry) {
    entry = buildTrainingSet(blobs, plan);
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  }
  return entry;
}

async function buildTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan): Promise<TrainingSet> {
  const rows = await readSilverWindow(blobs, silversOf(plan));
  const labelled = (r: Record<string, TypedValue>) => r[plan.pipeline.label.column] !== null && r[plan.pipeline.label.column] !== undefined;
  if (plan.test) {
    const testRows = (await readSilverRows(blobs, plan.test)).filter(labelled);
    const train = labelledData(plan.pipeline, rows);
    const evaluation = labelledData(plan.pipeline, testRows);
    return { train, evaluation, evaluationRows: testRows, droppedUnlabelled: train.droppedUnlabelled };
  }
  const kept = rows.filter(labelled);
  const all = labelledData(plan.pipeline, kept);
  const split = plan.pipeline.task === 'binary'
    ? stratifiedHoldout(all.labels, plan.holdoutFraction, plan.seed)
    : randomHoldout(all.labels.length, plan.holdoutFraction, plan.seed);
  if (!split.ok) throw new Error(`evaluation holdout: ${split.error}`);
  const take = (indices: Int32Array): LabelledMatrix => ({ matrix: selectRows(all.matrix, indices), labels: selectValues(all.labels, indices) });
  return {
    train: take(split.value.train),
    evaluation: take(split.value.holdout),
    evaluationRows: Array.from(split.value.holdout, (i) => kept[i]),
    droppedUnlabelled: rows.length - kept.length,
  };
}
