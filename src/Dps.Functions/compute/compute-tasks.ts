import type { Result } from '../../Dps.Domain/result';
import type { FeatureMatrix, LabelledMatrix } from '../../Dps.Domain/ml/feature-matrix';
import { GbdtTrainingResult, trainGbdt } from '../../Dps.Domain/ml/gbdt-trainer';
import type { GbdtParams } from '../../Dps.Domain/ml/gbdt-params';
import { ComputeTask, computeTask } from './compute-task';

/** Input of one GBDT training: the arguments of Domain's trainGbdt as one structured-cloneable value. */
export interface TrainGbdtInput {
  matrix: FeatureMatrix;
  labels: Float64Array;
  params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>;
  seed: number;
  validation?: LabelledMatrix;
}

/** Trains gradient-boosted trees off the event loop. */
export const TRAIN_GBDT = computeTask<TrainGbdtInput, Result<GbdtTrainingResult>>('trainGbdt');

type Handler = (input: never) => unknown;

/** The handlers a worker thread can run, by task name: pure Domain functions only. */
export const computeHandlers: Record<string, Handler> = {
  [TRAIN_GBDT.name]: (input: TrainGbdtInput) => trainGbdt(input.matrix, input.labels, input.params, input.seed, input.validation),
};

/** Runs a task's handler in the calling thread (the worker's side of the pool). */
export function runComputeHandler<I, O>(task: ComputeTask<I, O> | string, input: I): O {
  const name = typeof task === 'string' ? task : task.name;
  const handler = computeHandlers[name];
  if (!handler) throw new Error(`unknown compute task '${name}'`);
  return (handler as (input: I) => O)(input);
}
