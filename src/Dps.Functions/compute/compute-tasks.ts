import type { Result } from '../../Dps.Domain/result';
import type { FeatureMatrix, LabelledMatrix } from '../../Dps.Domain/ml/feature-matrix';
import { GbdtTrainingResult, trainGbdt } from '../../Dps.Domain/ml/gbdt-trainer';
import type { GbdtParams } from '../../Dps.Domain/ml/gbdt-params';
import { LinearModel, LinearParams, trainLinear } from '../../Dps.Domain/ml/linear-trainer';
import type { ModelBundle } from '../../Dps.Domain/ml/model-bundle';
import { EvaluationReport, ReportLimits, evaluationReport } from '../../Dps.Domain/registry/evaluation-report';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { DriftReference } from '../../Dps.Domain/drift/drift-reference';
import type { DriftThresholds } from '../../Dps.Domain/drift/drift-thresholds';
import { WindowDrift, evaluateWindow } from '../../Dps.Domain/drift/window-drift';
import { addRowCount, createSketchWriter, createWindowSketch } from '../../Dps.Domain/drift/window-sketch';
import { ComputeTask, computeTask } from './compute-task';

/** Input of one GBDT training: the arguments of Domain's trainGbdt as one structured-cloneable value. */
export interface TrainGbdtInput {
  matrix: FeatureMatrix;
  labels: Float64Array;
  params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>;
  seed: number;
  validation?: LabelledMatrix;
  /** Row weights (class weights), one per row. */
  weights?: Float64Array;
}

/** Trains gradient-boosted trees off the event loop. */
export const TRAIN_GBDT = computeTask<TrainGbdtInput, Result<GbdtTrainingResult>>('trainGbdt');

/** Input of the linear baseline's training: the arguments of Domain's trainLinear. */
export interface TrainLinearInput {
  matrix: FeatureMatrix;
  labels: Float64Array;
  params: Partial<LinearParams> & Pick<LinearParams, 'objective'>;
  weights?: Float64Array;
}

/** Trains the linear baseline off the event loop. */
export const TRAIN_LINEAR = computeTask<TrainLinearInput, Result<LinearModel>>('trainLinear');

/** A scoring bundle and the labelled rows (built by its pipeline) to evaluate it on. */
export interface EvaluateModelInput {
  bundle: ModelBundle;
  matrix: FeatureMatrix;
  labels: Float64Array;
  limits?: Partial<ReportLimits>;
}

/** The model card's evaluation (metrics, curves, confusion, contributions, permutation importance) off the event loop. */
export const EVALUATE_MODEL = computeTask<EvaluateModelInput, Result<EvaluationReport>>('evaluateModel');

/** A batch of rows against a drift reference: one column of values per reference feature. */
export interface BatchDriftInput {
  reference: DriftReference;
  columns: Record<string, TypedValue[]>;
  rows: number;
  thresholds: DriftThresholds;
  /** The batch, as the verdict's window bounds name it. */
  label: string;
}

/** Sketches a batch on the reference's grid and evaluates it, off the event loop. */
export const EVALUATE_BATCH_DRIFT = computeTask<BatchDriftInput, WindowDrift>('evaluateBatchDrift');

function evaluateBatchDrift(input: BatchDriftInput): WindowDrift {
  const sketch = createWindowSketch(input.reference, input.label, input.label);
  const writer = createSketchWriter(input.reference);
  for (const [feature, values] of Object.entries(input.columns)) writer.addColumn(sketch, feature, values);
  addRowCount(sketch, input.rows);
  return evaluateWindow(input.reference, sketch, input.thresholds);
}

type Handler = (input: never) => unknown;

/** The handlers a worker thread can run, by task name: pure Domain functions only. */
export const computeHandlers: Record<string, Handler> = {
  [TRAIN_GBDT.name]: (input: TrainGbdtInput) => trainGbdt(input.matrix, input.labels, input.params, input.seed, input.validation, input.weights),
  [TRAIN_LINEAR.name]: (input: TrainLinearInput) => trainLinear(input.matrix, input.labels, input.params, input.weights),
  [EVALUATE_MODEL.name]: (input: EvaluateModelInput) => evaluationReport(input.bundle, input.matrix, input.labels, input.limits),
  [EVALUATE_BATCH_DRIFT.name]: evaluateBatchDrift,
};

/** Runs a task's handler in the calling thread (the worker's side of the pool). */
export function runComputeHandler<I, O>(task: ComputeTask<I, O> | string, input: I): O {
  const name = typeof task === 'string' ? task : task.name;
  const handler = computeHandlers[name];
  if (!handler) throw new Error(`unknown compute task '${name}'`);
  return (handler as (input: I) => O)(input);
}
