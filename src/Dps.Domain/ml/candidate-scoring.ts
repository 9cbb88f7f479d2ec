import { Result } from '../result';
import { LabelledMatrix } from './feature-matrix';
import { headlineMetrics } from './headline-metrics';
import { TabularModel, modelTask, predictScores } from './tabular-model';

/** A candidate's headline metrics on the validation split, for selectCandidate. */
export function scoreCandidate(candidate: TabularModel, validation: LabelledMatrix): Result<Record<string, number>> {
  const predictions = predictScores(candidate, validation.matrix);
  if (!predictions.ok) return predictions;
  const headline = headlineMetrics(modelTask(candidate), validation.labels, predictions.value);
  return headline.ok ? { ok: true, value: headline.value.metrics } : headline;
}
