import { Result } from '../result';
import { FeatureMatrix } from './feature-matrix';
import { GbdtModel } from './gbdt-model';
import { sigmoid } from './gbdt-objective';
import { LinearModel, linearRawScores } from './linear-trainer';
import type { Task } from './task-decision';
import { rawScoreTable, softmaxRows } from './tree-predictor';

/** A trained candidate of either family: boosted trees or the linear baseline. */
export type TabularModel = { kind: 'gbdt'; model: GbdtModel } | { kind: 'linear'; model: LinearModel };

/** Scores of every row, row-major: row r's `outputs` values at r * outputs .. */
export interface ScoreTable {
  rows: number;
  outputs: number;
  values: Float64Array;
}

/** The task a model was trained for. */
export function modelTask(candidate: TabularModel): Task {
  return candidate.model.objective;
}

/** Raw scores (before the link function) of a matrix whose columns are matched to the model by name. */
export function rawScores(candidate: TabularModel, matrix: FeatureMatrix): Result<ScoreTable> {
  return candidate.kind === 'gbdt' ? rawScoreTable(candidate.model, matrix) : linearRawScores(candidate.model, matrix);
}

/**
 * Raw scores through the task's link: binary the positive-class probability per row, multiclass the class
 * probabilities row-major, regression the values themselves. This is what metrics and calibration take.
 */
export function applyLink(task: Task, raw: ScoreTable): Float64Array {
  if (task === 'binary') return raw.values.map(sigmoid);
  if (task === 'multiclass') return softmaxRows(Float64Array.from(raw.values), raw.outputs);
  return raw.values;
}

/** Probabilities (classification) or values (regression) of a matrix, as applyLink returns them. */
export function predictScores(candidate: TabularModel, matrix: FeatureMatrix): Result<Float64Array> {
  const raw = rawScores(candidate, matrix);
  return raw.ok ? { ok: true, value: applyLink(modelTask(candidate), raw.value) } : raw;
}
