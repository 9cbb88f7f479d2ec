import { Result, err, ok } from '../result';
import type { FeatureMatrix } from './feature-matrix';
import type { FeaturePipeline } from './feature-pipeline';
import { GbdtModelJson, gbdtModelFromJson, gbdtModelToJson } from './gbdt-model-json';
import type { LinearModel } from './linear-trainer';
import { Calibrator, applyCalibrator } from './probability-calibration';
import { calibrateClassProbabilities } from './temperature-scaling';
import type { ThresholdRule } from './decision-threshold';
import { TabularModel, applyLink, rawScores } from './tabular-model';

/** Format tag of a scoring bundle (the registered artifact): pipeline, model of either family, calibration, threshold. */
export const MODEL_BUNDLE_FORMAT = 'dps-model/2';

/** Everything scoring needs, as the registry stores it. */
export interface ModelBundle {
  pipeline: FeaturePipeline;
  model: TabularModel;
  /** Binary: none, Platt or isotonic; multiclass: none or a temperature; regression keeps { method: 'none' }. */
  calibration: Calibrator;
  /** Binary decision threshold on the calibrated probability (p >= threshold is the positive class). */
  threshold: number;
  /** How the threshold was chosen, when it was. */
  thresholdRule?: ThresholdRule;
}

/** A bundle as plain JSON. */
export interface ModelBundleJson {
  format: typeof MODEL_BUNDLE_FORMAT;
  pipeline: FeaturePipeline;
  model: { kind: 'gbdt'; gbdt: GbdtModelJson } | { kind: 'linear'; linear: LinearModel };
  calibration: Calibrator;
  threshold: number;
  thresholdRule?: ThresholdRule;
}

/** Scores of a batch: the predicted class index (classification) or value (regression) and the probabilities. */
export interface BundleScores {
  rows: number;
  /** Binary: 1 when the calibrated probability >= threshold, else 0; multiclass: the most probable class index; regression: the value. */
  predictions: Float64Array;
  /** Binary: the calibrated positive-class probability per row. */
  probability?: Float64Array;
  /** Multiclass: class probabilities, row-major (class order of pipeline.label.classes). */
  probabilities?: Float64Array;
}

/** The bundle as plain JSON data. */
export function modelBundleToJson(bundle: ModelBundle): ModelBundleJson {
  const model = bundle.model.kind === 'gbdt' ? { kind: 'gbdt' as const, gbdt: gbdtModelToJson(bundle.model.model) } : { kind: 'linear' as const, linear: structuredClone(bundle.model.model) };
  return {
    format: MODEL_BUNDLE_FORMAT,
    pipeline: structuredClone(bundle.pipeline),
    model,
    calibration: structuredClone(bundle.calibration),
    threshold: bundle.threshold,
    ...(bundle.thresholdRule ? { thresholdRule: structuredClone(bundle.thresholdRule) } : {}),
  };
}

/** Rebuilds a bundle from parsed JSON: this format, or dps-model/1 (a GBDT, threshold, no calibration) as registered before. */
export function modelBundleFromJson(json: unknown): Result<ModelBundle> {
  const data = json as Record<string, unknown> | null;
  if (typeof data !== 'object' || data === null) return err('a model bundle must be a JSON object');
  if (typeof data.threshold !== 'number' || !(data.threshold >= 0 && data.threshold <= 1)) return err('threshold must be a number in [0, 1]');
  const pipeline = data.pipeline as FeaturePipeline;
  if (typeof pipeline !== 'object' || pipeline === null || !Array.isArray(pipeline.features)) return err('pipeline must be a feature pipeline');
  if (data.format === 'dps-model/1') {
    const gbdt = gbdtModelFromJson(data.model);
    if (!gbdt.ok) return err(`model: ${gbdt.error}`);
    return ok({ pipeline, model: { kind: 'gbdt', model: gbdt.value }, calibration: { method: 'none' }, threshold: data.threshold });
  }
  if (data.format !== MODEL_BUNDLE_FORMAT) return err(`not a ${MODEL_BUNDLE_FORMAT} (or dps-model/1) bundle`);
  const stored = data.model as ModelBundleJson['model'] | undefined;
  let model: TabularModel;
  if (stored?.kind === 'gbdt') {
    const gbdt = gbdtModelFromJson(stored.gbdt);
    if (!gbdt.ok) return err(`model: ${gbdt.error}`);
    model = { kind: 'gbdt', model: gbdt.value };
  } else if (stored?.kind === 'linear') {
    const problem = linearProblem(stored.linear);
    if (problem !== null) return err(`model: ${problem}`);
    model = { kind: 'linear', model: structuredClone(stored.linear) };
  } else {
    return err("model.kind must be 'gbdt' or 'linear'");
  }
  const calibration = data.calibration as Calibrator;
  const calibrationProblem = calibratorProblem(calibration);
  if (calibrationProblem !== null) return err(`calibration: ${calibrationProblem}`);
  const thresholdRule = data.thresholdRule as ThresholdRule | undefined;
  return ok({ pipeline, model, calibration, threshold: data.threshold, ...(thresholdRule ? { thresholdRule } : {}) });
}

/** Scores a matrix built by the bundle's pipeline: link, calibration, threshold (binary) or argmax (multiclass). */
export function scoreWithBundle(bundle: ModelBundle, matrix: FeatureMatrix): Result<BundleScores> {
  const raw = rawScores(bundle.model, matrix);
  if (!raw.ok) return raw;
  const task = bundle.model.model.objective;
  const linked = applyLink(task, raw.value);
  if (task === 'regression') return ok({ rows: matrix.rows, predictions: linked });
  if (task === 'binary') {
    const probability = linked.map((p) => applyCalibrator(bundle.calibration, p));
    return ok({ rows: matrix.rows, predictions: probability.map((p) => (p >= bundle.threshold ? 1 : 0)), probability });
  }
  const k = raw.value.outputs;
  const probabilities = calibrateClassProbabilities(bundle.calibration, linked, k);
  const predictions = Float64Array.from({ length: matrix.rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < k; c++) if (probabilities[r * k + c] > probabilities[r * k + best]) best = c;
    return best;
  });
  return ok({ rows: matrix.rows, predictions, probabilities });
}

function linearProblem(model: LinearModel | undefined): string | null {
  if (typeof model !== 'object' || model === null || model.format !== 'dps-linear/2') return 'not a dps-linear/2 model';
  const width = model.encoder?.inputs?.length;
  if (!Array.isArray(model.outputs) || model.outputs.length === 0 || typeof width !== 'number') return 'a linear model needs an encoder and outputs';
  const fine = model.outputs.every((o) => typeof o.intercept === 'number' && Array.isArray(o.weights) && o.weights.length === width && o.weights.every((w) => typeof w === 'number'));
  if (!fine) return `every output needs an intercept and ${width} weights`;
  return model.encoder.inputs.every((input) => input.feature >= 0 && input.feature < model.encoder.schema.length) ? null : 'an encoder input names an unknown feature';
}

function calibratorProblem(calibrator: Calibrator | undefined): string | null {
  if (calibrator?.method === 'none') return null;
  if (calibrator?.method === 'platt') return Number.isFinite(calibrator.a) && Number.isFinite(calibrator.b) ? null : 'platt needs finite a and b';
  if (calibrator?.method === 'isotonic') {
    const { x, y } = calibrator;
    return Array.isArray(x) && Array.isArray(y) && x.length > 0 && x.length === y.length ? null : 'isotonic needs equal, non-empty x and y';
  }
  if (calibrator?.method === 'temperature') return calibrator.temperature > 0 && Number.isFinite(calibrator.temperature) ? null : 'temperature must be a finite number > 0';
  return "method must be 'none', 'platt', 'isotonic' or 'temperature'";
}
