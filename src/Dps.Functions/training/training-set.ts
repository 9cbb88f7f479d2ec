import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { randomHoldout, stratifiedHoldout } from '../../Dps.Domain/ml/data-split';
import { FeatureColumn, FeatureMatrix, LabelledMatrix, selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { FeaturePipeline, labelValue, transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { BlobRef, getBlob } from '../storage/blob-io';
import { ParquetBlobWriter, ParquetColumn } from '../storage/parquet-writer';
import { readSilverRows, silverRowSlices } from '../datasets/silver-rows';
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

/** What `TrainingSet.silverSplits` holds per silver row: 0 left out (no usable label), else the part's index here. */
const SPLITS = [undefined, 'fit', 'validation', 'evaluation'] as const;
const FIT_PART = 1;
const VALIDATION_PART = 2;
const EVALUATION_PART = 3;

/**
 * The matrices a plan yields: `fit` (candidates train on it), `validation` (candidates are compared, calibration
 * and threshold fitted on it; together they are the training rows) and `evaluation` (the test set or holdout),
 * plus the raw evaluation rows (to score other models on the same set). The training rows are not kept as row
 * objects (one costs far more than its encoded features): the gold training set reads silver again (writeTrainingSet).
 */
export interface TrainingSet {
  fit: LabelledMatrix;
  validation: LabelledMatrix;
  evaluation: LabelledMatrix;
  /** The evaluation rows as read from silver (the test set's, or the holdout's in silver order). */
  evaluationRows: Row[];
  /** Per silver row of the window, in order: 0 when left out (no usable label), else 1 fit, 2 validation, 3 evaluation (holdout). */
  silverSplits: Uint8Array;
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
 * Writes a training set to gold as Parquet: the silver columns plus SPLIT_COLUMN, the window's labelled rows
 * in silver order (read again, a row group at a time), then the test set's rows when there is one, so any
 * engine sees what a run trained and was evaluated on. Returns the number of rows.
 */
export async function writeTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan, set: TrainingSet, columns: ParquetColumn[], ref: BlobRef): Promise<number> {
  if (columns.some((c) => c.name === SPLIT_COLUMN)) throw new Error(`gold training set ${ref.name}: the dataset has a column named '${SPLIT_COLUMN}', the name of the split column`);
  const writer = await ParquetBlobWriter.open(blobs, ref, [...columns, { name: SPLIT_COLUMN, type: 'category', nullable: false }]);
  const write = (row: Row, split: string) => writer.write([...columns.map((c) => row[c.name] ?? null), split]);
  let at = 0;
  for (const silver of silversOf(plan)) {
    for await (const rows of silverRowSlices(blobs, silver)) {
      for (const row of rows) {
        const split = SPLITS[set.silverSplits[at++]];
        if (split !== undefined) await write(row, split);
      }
    }
  }
  if (plan.test) for (const row of set.evaluationRows) await write(row, 'evaluation');
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

/** A window's labelled rows encoded: features, labels, and each one's position among the window's silver rows. */
interface EncodedWindow {
  matrix: FeatureMatrix;
  labels: Float64Array;
  silverAt: Int32Array;
  silverRows: number;
}

/** The columns of several matrices (same pipeline) one after the other. */
function stacked(parts: FeatureMatrix[], pipeline: FeaturePipeline): FeatureMatrix {
  if (parts.length === 0) return transformRows(pipeline, []);
  const rows = parts.reduce((n, part) => n + part.rows, 0);
  const columns = parts[0].columns.map((column, c): FeatureColumn => {
    const values = column.kind === 'numeric' ? new Float64Array(rows) : new Int32Array(rows);
    let offset = 0;
    for (const part of parts) {
      values.set(part.columns[c].values, offset);
      offset += part.rows;
    }
    return { ...column, values } as FeatureColumn;
  });
  return { rows, columns };
}

/**
 * Streams the window's silver and encodes each slice of labelled rows as it arrives, so only a slice of row
 * objects is alive at a time, never the window.
 */
async function encodeWindow(blobs: BlobServiceClient, pipeline: FeaturePipeline, refs: readonly BlobRef[]): Promise<EncodedWindow> {
  const parts: FeatureMatrix[] = [];
  const labels: number[] = [];
  const silverAt: number[] = [];
  let silverRows = 0;
  for (const ref of refs) {
    for await (const rows of silverRowSlices(blobs, ref)) {
      const kept: Row[] = [];
      for (const row of rows) {
        const y = labelValue(pipeline, row[pipeline.label.column]);
        if (y !== undefined) {
          kept.push(row);
          labels.push(y);
          silverAt.push(silverRows);
        }
        silverRows++;
      }
      parts.push(transformRows(pipeline, kept));
    }
  }
  return { matrix: stacked(parts, pipeline), labels: Float64Array.from(labels), silverAt: Int32Array.from(silverAt), silverRows };
}

/** The silver rows at the (increasing) positions `at` of a window, read again. */
async function silverRowsAt(blobs: BlobServiceClient, refs: readonly BlobRef[], at: Int32Array): Promise<Row[]> {
  const picked: Row[] = [];
  let position = 0;
  let next = 0;
  for (const ref of refs) {
    for await (const rows of silverRowSlices(blobs, ref)) {
      for (const row of rows) {
        if (next < at.length && at[next] === position) {
          picked.push(row);
          next++;
        }
        position++;
      }
    }
  }
  return picked;
}

/** `inner` indices mapped through `outer`: positions in the whole of what `outer` indexes. */
function through(outer: Int32Array, inner: Int32Array): Int32Array {
  return inner.map((i) => outer[i]);
}

async function buildTrainingSet(blobs: BlobServiceClient, plan: TrainingPlan): Promise<TrainingSet> {
  const { pipeline } = plan;
  const refs = silversOf(plan);
  const all = await encodeWindow(blobs, pipeline, refs);
  const silverSplits = new Uint8Array(all.silverRows);
  const take = (indices: Int32Array): LabelledMatrix => ({ matrix: selectRows(all.matrix, indices), labels: selectValues(all.labels, indices) });
  const mark = (indices: Int32Array, part: number) => {
    for (const i of indices) silverSplits[all.silverAt[i]] = part;
  };
  let trainAt: Int32Array;
  let evaluation: LabelledMatrix;
  let evaluationRows: Row[];
  let evaluationUnlabelled = 0;
  if (plan.test) {
    const testRows = await readSilverRows(blobs, plan.test);
    const test = labelled(pipeline, testRows);
    trainAt = Int32Array.from(all.labels.keys());
    evaluation = { matrix: transformRows(pipeline, test.rows), labels: test.labels };
    evaluationRows = test.rows;
    evaluationUnlabelled = testRows.length - test.rows.length;
  } else {
    const holdout = split(pipeline, all.labels, plan.holdoutFraction, plan.seed, 'evaluation holdout');
    trainAt = holdout.train;
    evaluation = take(holdout.holdout);
    mark(holdout.holdout, EVALUATION_PART);
    // The split's indices increase, so the rows read again come in the evaluation matrix's order.
    evaluationRows = await silverRowsAt(blobs, refs, through(all.silverAt, holdout.holdout));
  }
  const validation = split(pipeline, selectValues(all.labels, trainAt), plan.validationFraction, plan.seed + 1, 'validation split');
  const fitAt = through(trainAt, validation.train);
  const validationAt = through(trainAt, validation.holdout);
  mark(fitAt, FIT_PART);
  mark(validationAt, VALIDATION_PART);
  return {
    fit: take(fitAt),
    validation: take(validationAt),
    evaluation,
    evaluationRows,
    silverSplits,
    droppedUnlabelled: all.silverRows - all.labels.length,
    evaluationUnlabelled,
  };
}
