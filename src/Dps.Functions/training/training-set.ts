import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { randomHoldout, stratifiedHoldout } from '../../Dps.Domain/ml/data-split';
import { LabelledMatrix, selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { FeaturePipeline, labelValue, transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { BlobRef, getBlob } from '../storage/blob-io';
import { ParquetBlobWriter, ParquetColumn } from '../storage/parquet-writer';
import { readSilverRows } from '../datasets/silver-rows';
import { silversOf } from './training-run';
import { scopedCache } from '../shared/scoped-cache';

type Row = Record<string, TypedValue>;

/** How a training run's data is defined; small, so it travels through the orchestration. */
export interface TrainingPlan {
  pipeline: FeaturePipeline;
  silver: BlobRef;
  /** Every silver blob of a training window (see silversOf). */
  silverWindow?: BlobRef[];
  /** Silver of a separate test batch; without it a stratified holdout is the evaluation set. */
  test?: BlobRef;
  holdoutFraction: number;
  /** Share of the training rows every candidate is compared on (and calibration and the threshold fitted on). */
  validationFraction: number;
  seed: number;
}

/**
 * The matrices a plan yields: `fit` (candidates train on it), `validation` (candidates are compared, calibration
 * and threshold fitted on it; together they are the training rows) and `evaluation` (the test set or holdout),
 * plus the raw evaluation rows (to score other models on the same set).
 */
export interface TrainingSet {
  fit: LabelledMatrix;
  validation: LabelledMatrix;
  evaluation: LabelledMatrix;
  /** The rows of each part, as read from silver (the gold training set is written from them). */
  fitRows: Row[];
  validationRows: Row[];
  evaluationRows: Row[];
  /** Training rows without a label, left out. */
  droppedUnlabelled: number;
  /** Evaluation rows without a usable label (missing, or a class training never saw), left out. */
  evaluationUnlabelled: number;
}

/** Reads the rows of several silver blobs, in order, as one set. */
export async function readSilverWindow(blobs: BlobServiceClient, refs: readonly BlobRef[]): Promise<Row[]> {
  return (await Promise.all(refs.map((ref) => readSilverRows(blobs, ref)))).flat();
}

/** The column of the gold training set that says which part a row is in: `fit`, `validation` or `evaluation`. */
export const SPLIT_COLUMN = 'dps_split';

/**
 * Writes a training set to gold as Parquet: the silver columns plus SPLIT_COLUMN, the fit rows, then
 * validation, then evaluation (the test set's rows or the holdout), so any engine sees what a run trained
 * and was evaluated on. Returns the number of rows.
 */
export async function writeTrainingSet(blobs: BlobServiceClient, set: TrainingSet, columns: ParquetColumn[], ref: BlobRef): Promise<number> {
  if (columns.some((c) => c.name === SPLIT_COLUMN)) throw new Error(`gold training set ${ref.name}: the dataset has a column named '${SPLIT_COLUMN}', the name of the split column`);
  const writer = await ParquetBlobWriter.open(blobs, ref, [...columns, { name: SPLIT_COLUMN, type: 'category', nullable: false }]);
  const parts: Array<[string, Row[]]> = [['fit', set.fitRows], ['validation', set.validationRows], ['evaluation', set.evaluationRows]];
  for (const [split, rows] of parts) for (const row of rows) await writer.write([...columns.map((c) => row[c.name] ?? null), split]);
  return writer.close();
}

/** Reads a training plan stored by the prepare step; a missing one is an error naming the blob. */
export async function readTrainingPlan(blobs: BlobServiceClient, ref: BlobRef): Promise<TrainingPlan> {
  const body = await getBlob(blobs, ref);
  if (!body) throw new Error(`training plan ${ref.container}/${ref.name} is missing`);
  return JSON.parse(body.toString('utf8')) as TrainingPlan;
}

// Trials of one run land on the same worker often; rebuilding the same matrices each time is waste.
const trainingSets = scopedCache<TrainingSet>(4);

/** Builds (or reuses) the fit, validation and evaluation matrices of a plan; deterministic for the plan. */
export function loadTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan): Promise<TrainingSet> {
  const key = JSON.stringify([silversOf(plan), plan.test, plan.holdoutFraction, plan.validationFraction, plan.seed, plan.pipeline]);
  return trainingSets(blobs, key, () => buildTrainingSet(blobs, plan));
}

/** Rows with a usable label, and their labels as numbers. */
function labelled(pipeline: FeaturePipeline, rows: Row[]): { rows: Row[]; labels: Float64Array } {
  const kept: Row[] = [];
  const labels: number[] = [];
  for (const row of rows) {
    const y = labelValue(pipeline, row[pipeline.label.column]);
    if (y === undefined) continue;
    kept.push(row);
    labels.push(y);
  }
  return { rows: kept, labels: Float64Array.from(labels) };
}

/** Splits labelled rows in two, stratified by class for classification; a split that leaves a side empty is an error. */
function split(pipeline: FeaturePipeline, labels: Float64Array, fraction: number, seed: number, what: string) {
  const result = pipeline.task === 'regression' ? randomHoldout(labels.length, fraction, seed) : stratifiedHoldout(labels, fraction, seed);
  if (!result.ok) throw new Error(`${what}: ${result.error}`);
  return result.value;
}

async function buildTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan): Promise<TrainingSet> {
  const { pipeline } = plan;
  const rows = await readSilverWindow(blobs, silversOf(plan));
  const all = labelled(pipeline, rows);
  let train: { rows: Row[]; labels: Float64Array };
  let evaluation: { rows: Row[]; labels: Float64Array };
  let evaluationUnlabelled = 0;
  if (plan.test) {
    const testRows = await readSilverRows(blobs, plan.test);
    train = all;
    evaluation = labelled(pipeline, testRows);
    evaluationUnlabelled = testRows.length - evaluation.rows.length;
  } else {
    const holdout = split(pipeline, all.labels, plan.holdoutFraction, plan.seed, 'evaluation holdout');
    const pick = (indices: Int32Array) => ({ rows: Array.from(indices, (i) => all.rows[i]), labels: selectValues(all.labels, indices) });
    train = pick(holdout.train);
    evaluation = pick(holdout.holdout);
  }
  const matrix = transformRows(pipeline, train.rows);
  const validation = split(pipeline, train.labels, plan.validationFraction, plan.seed + 1, 'validation split');
  const take = (indices: Int32Array): LabelledMatrix => ({ matrix: selectRows(matrix, indices), labels: selectValues(train.labels, indices) });
  const rowsAt = (indices: Int32Array) => Array.from(indices, (i) => train.rows[i]);
  return {
    fit: take(validation.train),
    validation: take(validation.holdout),
    fitRows: rowsAt(validation.train),
    validationRows: rowsAt(validation.holdout),
    evaluation: { matrix: transformRows(pipeline, evaluation.rows), labels: evaluation.labels },
    evaluationRows: evaluation.rows,
    droppedUnlabelled: rows.length - all.rows.length,
    evaluationUnlabelled,
  };
}
