import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { applyCalibrator } from '../../Dps.Domain/ml/probability-calibration';
import { calibrateClassProbabilities } from '../../Dps.Domain/ml/temperature-scaling';
import { predictionContributions } from '../../Dps.Domain/ml/prediction-contributions';
import { predictScores } from '../../Dps.Domain/ml/tabular-model';
import { argmax } from '../../Dps.Domain/ml/tree-predictor';
import { outcomeOf, ScoreOutcome } from '../../Dps.Domain/serving/prediction-response';
import { Result, err, ok } from '../../Dps.Domain/result';
import type { LoadedModel } from './loaded-model';

/** A version's answers for some rows: the score rollout counters read, the outcome callers see, and contributions when asked. */
export interface ScoredRows {
  /** What rollout counters and feedback read: binary the positive-class probability; multiclass the predicted class's index; regression the value. */
  scores: number[];
  outcomes: ScoreOutcome[];
  contributions?: Array<Record<string, number>>;
}

function multiclassOutcome(classes: string[], probabilities: Float64Array, row: number): { index: number; outcome: ScoreOutcome } {
  const k = classes.length;
  const own = probabilities.subarray(row * k, (row + 1) * k);
  const best = argmax(own);
  return { index: best, outcome: { prediction: classes[best], probability: own[best], probabilities: Object.fromEntries(classes.map((c, i) => [c, own[i]])) } };
}

/**
 * Scores checked rows with one version: its own feature pipeline, then the model. With `explain`,
 * each row's per-feature contributions in raw-score units (log-odds for classification; for
 * multiclass those of the predicted class).
 */
export function scoreRows(loaded: LoadedModel, rows: Record<string, TypedValue>[], explain: boolean): Result<ScoredRows> {
  const matrix = transformRows(loaded.pipeline, rows);
  const predicted = predictScores(loaded.model, matrix);
  if (!predicted.ok) return err(`v${loaded.version.version} could not score: ${predicted.error}`);
  const { task } = loaded.pipeline;
  // A multiclass version's temperature (if any) applies to all its class probabilities at once.
  if (task === 'multiclass') predicted.value = calibrateClassProbabilities(loaded.calibration, predicted.value, (loaded.pipeline.label.classes ?? []).length);
  const scores: number[] = new Array(rows.length);
  const outcomes: ScoreOutcome[] = new Array(rows.length);
  const predictedClass: number[] = new Array(rows.length).fill(0);
  for (let i = 0; i < rows.length; i++) {
    if (task === 'multiclass') {
      const m = multiclassOutcome(loaded.pipeline.label.classes ?? [], predicted.value, i);
      predictedClass[i] = m.index;
      scores[i] = m.index;
      outcomes[i] = m.outcome;
    } else {
      scores[i] = task === 'binary' ? applyCalibrator(loaded.calibration, predicted.value[i]) : predicted.value[i];
      outcomes[i] = outcomeOf(task, scores[i], loaded.threshold, loaded.classes);
    }
  }
  if (!explain) return ok({ scores, outcomes });
  const table = predictionContributions(loaded.model, matrix);
  if (!table.ok) return err(`v${loaded.version.version} could not explain: ${table.error}`);
  const { features, outputs, values } = table.value;
  const contributions = rows.map((_, r) => {
    const base = (r * outputs + predictedClass[r]) * features.length;
    return Object.fromEntries(features.map((f, j) => [f, values[base + j]]));
  });
  return ok({ scores, outcomes, contributions });
}
