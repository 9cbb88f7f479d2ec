import type { BlobServiceClient } from '@azure/storage-blob';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import { transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { headlineMetrics } from '../../Dps.Domain/ml/headline-metrics';
import { ModelBundle, scoreWithBundle } from '../../Dps.Domain/ml/model-bundle';
import type { EvaluationAccounting, ModelMetrics } from '../../Dps.Domain/registry/model-version';
import { loadArtifact } from '../registry/model-artifact';
import type { ModelRegistry } from '../registry/model-registry';
import type { TrainModelInput } from './training-run';

/** Headline metrics of a bundle as it serves (calibrated, at its threshold) on labelled matrix rows. */
export function bundleMetrics(bundle: ModelBundle, matrix: ReturnType<typeof transformRows>, labels: Float64Array): ModelMetrics | undefined {
  const scored = scoreWithBundle(bundle, matrix);
  if (!scored.ok) return undefined;
  const task = bundle.model.model.objective;
  const served = task === 'binary' ? scored.value.probability : task === 'multiclass' ? scored.value.probabilities : scored.value.predictions;
  const metrics = headlineMetrics(task, labels, served as Float64Array, bundle.threshold);
  return metrics.ok ? metrics.value.metrics : undefined;
}

/** Scores the current champion on the same evaluation rows, through its own feature pipeline; undefined when there is none to compare. */
export async function scoreChampion(
  registry: ModelRegistry, blobs: BlobServiceClient, modelName: string, rows: Record<string, TypedValue>[], labels: Float64Array, task: Task,
): Promise<{ version: number; metrics: ModelMetrics } | undefined> {
  const champion = (await registry.aliasesOf(modelName)).find((a) => a.alias === 'champion');
  if (!champion) return undefined;
  const version = await registry.version(modelName, champion.version);
  if (!version || version.task !== task) return undefined;
  const bundle = await loadArtifact(blobs, version.artifact);
  const metrics = bundleMetrics(bundle, transformRows(bundle.pipeline, rows), labels);
  return metrics ? { version: champion.version, metrics } : undefined;
}

/**
 * Accounts for every evaluation row: a test file's rows are read, then scored, quarantined by its validation,
 * or without a usable label (repeated rows are kept and scored; `duplicates` counts only rows an earlier
 * validation dropped); a holdout's rows are all scored unless unlabelled. `overlap` adds what is known of
 * the scored rows: repeats among them, and those equal to a training row with the metrics without them.
 */
export function evaluationAccounting(
  run: Pick<TrainModelInput, 'test' | 'testValidation'>, scored: number, unlabelled: number,
  overlap?: { repeats: number; inTraining: number; metricsWithout?: ModelMetrics },
): EvaluationAccounting {
  const reasons: string[] = [];
  if (unlabelled > 0) reasons.push(`${unlabelled} row(s) without a label the model knows (missing, or a class training never saw): not scored`);
  const facts = overlap ? overlapFacts(scored, overlap) : {};
  if (!run.test || !run.testValidation) return { read: scored + unlabelled, scored, quarantined: 0, duplicates: 0, unlabelled, reasons, ...facts };
  const { rows } = run.testValidation;
  const where = run.testValidation.quarantine ? ` (each row with its reason in ${run.testValidation.quarantine.container}/${run.testValidation.quarantine.name})` : '';
  if (rows.quarantined > 0) reasons.push(`${rows.quarantined} row(s) quarantined by the contract: not scored${where}`, ...run.testValidation.reasons);
  if (rows.duplicates > 0) reasons.push(`${rows.duplicates} row(s) repeat an earlier test row exactly (or its key): counted once`);
  return { read: rows.read, scored, quarantined: rows.quarantined, duplicates: rows.duplicates, unlabelled, reasons, ...facts };
}

function overlapFacts(scored: number, overlap: { repeats: number; inTraining: number; metricsWithout?: ModelMetrics }): Pick<EvaluationAccounting, 'repeats' | 'inTraining' | 'notes'> {
  const share = (n: number) => `${((100 * n) / Math.max(1, scored)).toFixed(1)}%`;
  const notes = [
    overlap.repeats > 0
      ? `${overlap.repeats} scored row(s) (${share(overlap.repeats)}) repeat an earlier evaluation row exactly: kept and scored, as the traffic they stand for`
      : 'no evaluation row repeats another',
    overlap.inTraining > 0
      ? `${overlap.inTraining} scored row(s) (${share(overlap.inTraining)}) equal a training row in every model input and the label (a leak when rows were copied between the sets; chance when the inputs take few values)${overlap.metricsWithout ? `; without them: ${Object.entries(overlap.metricsWithout).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}` : ''}`
      : 'no evaluation row equals a training row in every model input and the label',
  ];
  return { repeats: overlap.repeats, inTraining: { rows: overlap.inTraining, ...(overlap.metricsWithout ? { metricsWithout: overlap.metricsWithout } : {}) }, notes };
}
