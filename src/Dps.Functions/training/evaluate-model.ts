import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { auc } from '../../Dps.Domain/ml/binary-metrics';
import { gainImportance } from '../../Dps.Domain/ml/feature-importance';
import { selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import type { GbdtModel } from '../../Dps.Domain/ml/gbdt-model';
import { headlineMetrics } from '../../Dps.Domain/ml/headline-metrics';
import { predictLinear, trainLinear } from '../../Dps.Domain/ml/linear-trainer';
import { permutationImportance } from '../../Dps.Domain/ml/permutation-importance';
import { rmse } from '../../Dps.Domain/ml/regression-metrics';
import { predictMatrix } from '../../Dps.Domain/ml/tree-predictor';
import type { CardImportance } from '../../Dps.Domain/registry/model-card';
import type { CalibrationBin } from '../../Dps.Domain/ml/calibration-metrics';
import type { ModelMetrics } from '../../Dps.Domain/registry/model-version';
import type { BlobServiceClient } from '@azure/storage-blob';
import { loadArtifact } from '../registry/model-artifact';
import type { ModelRegistry } from '../registry/model-registry';
import type { TrainingSet } from './training-set';

/** Permutation importance is scored on at most this many evaluation rows, to bound its cost. */
const IMPORTANCE_ROWS = 5000;

/** How a candidate model did on the evaluation set, against a linear baseline, and which features it used. */
export interface CandidateEvaluation {
  metrics: ModelMetrics;
  calibration: CalibrationBin[];
  /** The linear baseline's metrics on the same set (empty when the baseline cannot be fitted). */
  baseline: ModelMetrics;
  importance: CardImportance[];
}

/**
 * Scores a trained model on the training set's evaluation rows: headline metrics and calibration, a
 * linear baseline trained on the same training rows, and gain and permutation importance.
 */
export function evaluateCandidate(set: TrainingSet, model: GbdtModel, task: Task, seed: number): CandidateEvaluation {
  const predictions = predictMatrix(model, set.evaluation.matrix);
  if (!predictions.ok) throw new Error(predictions.error);
  const headline = headlineMetrics(task, set.evaluation.labels, predictions.value);
  if (!headline.ok) throw new Error(headline.error);
  const linear = trainLinear(set.train.matrix, set.train.labels, { objective: task });
  const linearPredictions = linear.ok ? predictLinear(linear.value, set.evaluation.matrix) : linear;
  const baseline = linearPredictions.ok ? headlineMetrics(task, set.evaluation.labels, linearPredictions.value) : linearPredictions;
  const capped = Math.min(IMPORTANCE_ROWS, set.evaluation.labels.length);
  const indices = Int32Array.from({ length: capped }, (_, i) => i);
  const permutation = permutationImportance(
    selectRows(set.evaluation.matrix, indices), selectValues(set.evaluation.labels, indices),
    (m) => predictMatrix(model, m), task === 'binary' ? auc : (y, p) => -rmse(y, p), 2, seed,
  );
  const importance = gainImportance(model).map((g) => ({
    feature: g.feature, gain: g.importance,
    permutation: permutation.ok ? (permutation.value.find((p) => p.feature === g.feature)?.importance ?? 0) : 0,
  }));
  return { metrics: headline.value.metrics, calibration: headline.value.calibration ?? [], baseline: baseline.ok ? baseline.value.metrics : {}, importance };
}

/** Scores the current champion on the same evaluation rows, through its own feature pipeline; undefined when there is none to compare. */
export async function scoreChampion(
  registry: ModelRegistry, blobs: BlobServiceClient, modelName: string, rows: Record<string, TypedValue>[], labels: Float64Array, task: Task,
): Promise<{ version: number; metrics: ModelMetrics } | undefined> {
  const champion = (await registry.aliasesOf(modelName)).find((a) => a.alias === 'champion');
  if (!champion) return undefined;
  const version = await registry.version(modelName, champion.version);
  if (!version || version.task !== task) return undefined;
  const loaded = await loadArtifact(blobs, version.artifact);
  const predictions = predictMatrix(loaded.model, transformRows(loaded.pipeline, rows));
  if (!predictions.ok) return undefined;
  const metrics = headlineMetrics(task, labels, predictions.value);
  return metrics.ok ? { version: champion.version, metrics: metrics.value.metrics } : undefined;
}
