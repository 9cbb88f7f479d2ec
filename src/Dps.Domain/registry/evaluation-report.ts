import { Result, err, ok } from '../result';
import { auc, thresholdMetrics } from '../ml/binary-metrics';
import { CalibrationBin, reliabilityBins } from '../ml/calibration-metrics';
import { selectRows, selectValues, FeatureMatrix } from '../ml/feature-matrix';
import { gainImportance } from '../ml/feature-importance';
import { headlineMetrics } from '../ml/headline-metrics';
import { ModelBundle, scoreWithBundle } from '../ml/model-bundle';
import { permutationImportance } from '../ml/permutation-importance';
import { meanAbsoluteContributions, predictionContributions } from '../ml/prediction-contributions';
import { rmse } from '../ml/regression-metrics';
import { multiclassLogLoss, topLabelReliability } from '../ml/temperature-scaling';
import { applyLink, rawScores } from '../ml/tabular-model';
import type { Task } from '../ml/task-decision';

/** A point of a curve: x and y in the plot's units. */
export interface CurvePoint {
  x: number;
  y: number;
}

/** ROC (x false-positive rate, y true-positive rate) and precision-recall (x recall, y precision) of one class against the rest. */
export interface ClassCurves {
  label: string;
  auc: number;
  roc: CurvePoint[];
  pr: CurvePoint[];
}

/** Per-feature explanation: split gain (trees only), permutation drop and mean |contribution| (raw-score units). */
export interface FeatureExplanation {
  feature: string;
  gain?: number;
  permutation: number;
  meanAbsContribution: number;
}

/** Everything the model card plots about one evaluation; plain JSON without NaN (empty bins are left out). */
export interface EvaluationReport {
  task: Task;
  rows: number;
  /** Headline metrics of the bundle as served: calibrated, at its threshold. */
  metrics: Record<string, number>;
  /** Class names (classification), in label order. */
  classes?: string[];
  /** Binary: the positive class; multiclass: one per class. */
  curves?: ClassCurves[];
  /** Reliability bins (non-empty only) of the model's probabilities and of the calibrated ones: binary of the positive class, multiclass of the top label (confidence against accuracy). */
  reliability?: { before: CalibrationBin[]; after: CalibrationBin[] };
  /** Classification: counts[actual][predicted]. */
  confusion?: number[][];
  /** Multiclass: per-class precision, recall, F1 and support. */
  perClass?: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** Regression: a sample of (predicted, actual) pairs. */
  residuals?: { predicted: number[]; actual: number[] };
  importance: FeatureExplanation[];
}

/** Bounds on the report's cost and size. */
export interface ReportLimits {
  /** Rows that permutation importance and contributions are computed on. */
  explainRows: number;
  /** Points per curve and regression pairs kept. */
  points: number;
  seed: number;
}

const DEFAULT_LIMITS: ReportLimits = { explainRows: 2000, points: 200, seed: 1 };

/**
 * Evaluates a scoring bundle on labelled rows built by its pipeline: headline metrics as served, curves,
 * reliability before/after calibration, confusion, residuals, and per-feature gain, permutation and
 * mean |contribution| (those two on the first `explainRows` rows, to bound the cost).
 */
export function evaluationReport(bundle: ModelBundle, matrix: FeatureMatrix, labels: Float64Array, limits: Partial<ReportLimits> = {}): Result<EvaluationReport> {
  const { explainRows, points, seed } = { ...DEFAULT_LIMITS, ...limits };
  if (labels.length === 0) return err('no labelled rows to evaluate');
  const task = bundle.model.model.objective;
  const scored = scoreWithBundle(bundle, matrix);
  if (!scored.ok) return scored;
  const served = task === 'binary' ? scored.value.probability as Float64Array : task === 'multiclass' ? scored.value.probabilities as Float64Array : scored.value.predictions;
  const headline = headlineMetrics(task, labels, served, bundle.threshold);
  if (!headline.ok) return headline;
  const classes = bundle.pipeline.label.classes;
  const report: EvaluationReport = { task, rows: labels.length, metrics: headline.value.metrics, ...(classes ? { classes } : {}), importance: [] };
  if (task === 'binary') {
    const raw = rawScores(bundle.model, matrix);
    if (!raw.ok) return raw;
    const before = applyLink(task, raw.value);
    const positive = bundle.pipeline.label.positiveClass ?? '1';
    report.curves = [classCurves(positive, labels, served, points)];
    report.reliability = { before: nonEmpty(reliabilityBins(labels, before, 10)), after: nonEmpty(reliabilityBins(labels, served, 10)) };
    const counts = thresholdMetrics(labels, served, bundle.threshold);
    report.confusion = [[counts.trueNegatives, counts.falsePositives], [counts.falseNegatives, counts.truePositives]];
  } else if (task === 'multiclass') {
    const k = served.length / labels.length;
    const names = classes ?? Array.from({ length: k }, (_, c) => String(c));
    report.curves = names.map((name, c) => classCurves(name, labels.map((y) => (y === c ? 1 : 0)), Float64Array.from(labels, (_, r) => served[r * k + c]), points));
    const raw = rawScores(bundle.model, matrix);
    if (!raw.ok) return raw;
    report.reliability = { before: nonEmpty(topLabelReliability(labels, applyLink(task, raw.value), k)), after: nonEmpty(topLabelReliability(labels, served, k)) };
    report.confusion = headline.value.confusion;
    report.perClass = (headline.value.perClass ?? []).map((m, c) => ({ label: names[c], ...m }));
  } else {
    const step = Math.max(1, Math.ceil(labels.length / points));
    const keep = Int32Array.from({ length: Math.ceil(labels.length / step) }, (_, i) => i * step);
    report.residuals = { predicted: Array.from(keep, (i) => served[i]), actual: Array.from(keep, (i) => labels[i]) };
  }
  const importance = explain(bundle, matrix, labels, Math.min(explainRows, labels.length), seed);
  if (!importance.ok) return importance;
  report.importance = importance.value;
  return ok(report);
}

function explain(bundle: ModelBundle, matrix: FeatureMatrix, labels: Float64Array, rows: number, seed: number): Result<FeatureExplanation[]> {
  const indices = Int32Array.from({ length: rows }, (_, i) => i);
  const sample = selectRows(matrix, indices);
  const sampleLabels = selectValues(labels, indices);
  const task = bundle.model.model.objective;
  const predict = (m: FeatureMatrix): Result<Float64Array> => {
    const raw = rawScores(bundle.model, m);
    return raw.ok ? ok(applyLink(task, raw.value)) : raw;
  };
  const k = task === 'multiclass' ? (bundle.pipeline.label.classes?.length ?? 2) : 1;
  // Higher is better for every scorer: AUC, minus multiclass log-loss, minus RMSE.
  const score = task === 'binary' ? auc : task === 'multiclass' ? (y: Float64Array, p: Float64Array) => -multiclassLogLoss(y, p, k) : (y: Float64Array, p: Float64Array) => -rmse(y, p);
  const permutation = permutationImportance(sample, sampleLabels, predict, score, 2, seed);
  if (!permutation.ok) return permutation;
  const contributions = predictionContributions(bundle.model, sample);
  if (!contributions.ok) return contributions;
  const meanAbs = new Map(meanAbsoluteContributions(contributions.value).map((c) => [c.feature, c.meanAbs]));
  const gain = bundle.model.kind === 'gbdt' ? new Map(gainImportance(bundle.model.model).map((g) => [g.feature, g.importance])) : undefined;
  const drop = new Map(permutation.value.map((p) => [p.feature, Number.isFinite(p.importance) ? p.importance : 0]));
  return ok(
    contributions.value.features
      .map((feature) => ({ feature, ...(gain ? { gain: gain.get(feature) ?? 0 } : {}), permutation: drop.get(feature) ?? 0, meanAbsContribution: meanAbs.get(feature) ?? 0 }))
      .sort((a, b) => b.meanAbsContribution - a.meanAbsContribution),
  );
}

function nonEmpty(bins: CalibrationBin[]): CalibrationBin[] {
  return bins.filter((b) => b.count > 0);
}

/** ROC and PR curves of 0/1 labels against scores, thinned to about `points` points; AUC from ranks. */
export function classCurves(label: string, labels: Float64Array, scores: Float64Array, points: number): ClassCurves {
  const order = Int32Array.from(scores, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = labels.reduce((s, y) => s + (y === 1 ? 1 : 0), 0);
  const negatives = labels.length - positives;
  const roc: CurvePoint[] = [{ x: 0, y: 0 }];
  const pr: CurvePoint[] = [];
  let tp = 0;
  let fp = 0;
  const every = Math.max(1, Math.floor(labels.length / points));
  let sinceLast = 0;
  for (let at = 0; at < order.length; ) {
    const s = scores[order[at]];
    // A tie group is one threshold: step over it whole.
    while (at < order.length && scores[order[at]] === s) {
      if (labels[order[at]] === 1) tp++;
      else fp++;
      at++;
      sinceLast++;
    }
    if (sinceLast >= every || at === order.length) {
      sinceLast = 0;
      roc.push({ x: negatives > 0 ? fp / negatives : 0, y: positives > 0 ? tp / positives : 0 });
      pr.push({ x: positives > 0 ? tp / positives : 0, y: tp / (tp + fp) });
    }
  }
  const area = auc(labels, scores);
  return { label, auc: Number.isFinite(area) ? area : 0.5, roc, pr };
}
