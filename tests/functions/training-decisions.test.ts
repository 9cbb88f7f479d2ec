import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../src/Dps.Domain/ml/feature-matrix';
import type { FeaturePipeline } from '../../src/Dps.Domain/ml/feature-pipeline';
import { trainLinear } from '../../src/Dps.Domain/ml/linear-trainer';
import type { ModelBundle } from '../../src/Dps.Domain/ml/model-bundle';
import { runClassWeights } from '../../src/Dps.Functions/training/class-weighting';
import { evaluationAccounting } from '../../src/Dps.Functions/training/evaluate-model';
import { decideScoring } from '../../src/Dps.Functions/training/scoring-decisions';
import { modelBundleFromJson, modelBundleToJson, scoreWithBundle } from '../../src/Dps.Domain/ml/model-bundle';
import { multiclassLogLoss } from '../../src/Dps.Domain/ml/temperature-scaling';
import { multiclassTask } from '../domain/ml/synthetic-data';

const pipeline: FeaturePipeline = { format: 'dps-feature-pipeline/1', task: 'binary', label: { column: 'y', positiveClass: 'yes' }, features: [{ name: 'x', kind: 'numeric', source: 'number' }], excluded: [] };

/** Rows whose label follows a logistic rule in x; `rows` of them, seeded. */
function logistic(rows: number, seed: number): { matrix: FeatureMatrix; labels: Float64Array } {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const x = Float64Array.from({ length: rows }, () => next() * 6 - 3);
  const labels = x.map((v) => (next() < 1 / (1 + Math.exp(-2 * v)) ? 1 : 0));
  return { matrix: { rows, columns: [{ name: 'x', kind: 'numeric', values: x }] }, labels };
}

const none = { perClass: [1, 1], applied: false, imbalance: 1, reason: 'off' };

describe('scoring decisions on the validation split', () => {
  const fit = logistic(2000, 1);
  const validation = logistic(2000, 2);
  const trained = trainLinear(fit.matrix, fit.labels, { objective: 'binary' });
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value;

  it('keeps a well-calibrated model as it is and picks the F1 threshold on its probabilities', () => {
    const decided = decideScoring({ pipeline, model: { kind: 'linear', model }, calibration: { method: 'none' }, threshold: 0.5 }, validation, { rule: 'f1' }, none, 7);
    expect(decided.decisions.calibration.method).toBe('none');
    expect(decided.bundle.threshold).toBe(decided.threshold?.threshold);
    expect(decided.decisions.threshold).toMatchObject({ rule: 'maximum F1 on the validation split', value: decided.bundle.threshold });
    expect(decided.bundle.thresholdRule).toEqual({ rule: 'f1' });
  });

  it('calibrates an over-confident model and stores the calibrator in the bundle it registers', () => {
    // Weights tripled: the same ranking, far too confident probabilities.
    const loud = { ...model, outputs: model.outputs.map((o) => ({ intercept: o.intercept * 3, weights: o.weights.map((w) => w * 3) })) };
    const bundle: ModelBundle = { pipeline, model: { kind: 'linear', model: loud }, calibration: { method: 'none' }, threshold: 0.5 };
    const decided = decideScoring(bundle, validation, { rule: 'fixed', threshold: 0.5 }, none, 7);
    expect(decided.decisions.calibration.method).not.toBe('none');
    expect(decided.bundle.calibration).toEqual(decided.calibration?.calibrator);
    expect(decided.calibration?.after.logloss).toBeLessThan(decided.calibration?.before.logloss as number);
    expect(decided.decisions.threshold).toMatchObject({ value: 0.5, rule: 'fixed 0.5' });
  });

  it('leaves regression uncalibrated without a threshold', () => {
    const ridge = trainLinear(fit.matrix, fit.matrix.columns[0].values as Float64Array, { objective: 'regression' });
    if (!ridge.ok) throw new Error(ridge.error);
    const decided = decideScoring({ pipeline: { ...pipeline, task: 'regression' }, model: { kind: 'linear', model: ridge.value }, calibration: { method: 'none' }, threshold: 0.5 }, validation, { rule: 'f1' }, none, 7);
    expect(decided.decisions.threshold).toBeUndefined();
    expect(decided.decisions.calibration.reason).toBe('regression: no probabilities to calibrate');
  });
});

describe('class weights of a run', () => {
  it('weights an imbalanced binary label automatically, and not at all when off or for regression', () => {
    const labels = Float64Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
    const auto = runClassWeights(pipeline, labels, 'auto');
    expect(auto.applied).toBe(true);
    expect(auto.perClass).toEqual([100 / (2 * 90), 100 / (2 * 10)]);
    expect(runClassWeights(pipeline, labels, 'none').applied).toBe(false);
    expect(runClassWeights({ ...pipeline, task: 'regression' }, labels, 'auto')).toMatchObject({ applied: false, reason: 'regression: no class weights' });
  });
});

describe('evaluation accounting', () => {
  it('adds up a test file: read = scored + quarantined + duplicates + unlabelled, with a reason for each', () => {
    const quarantine = { container: 'quarantine', name: 'd/test-abc.r1.jsonl' };
    const a = evaluationAccounting({ test: { container: 'silver', name: 't' }, testValidation: { rows: { read: 110, accepted: 104, quarantined: 4, duplicates: 2 }, reasons: ['type: 4 rows'], quarantine } }, 101, 3);
    expect(a).toMatchObject({ read: 110, scored: 101, quarantined: 4, duplicates: 2, unlabelled: 3 });
    expect(a.read).toBe(a.scored + a.quarantined + a.duplicates + a.unlabelled);
    expect(a.reasons).toEqual([
      '3 row(s) without a label the model knows (missing, or a class training never saw): not scored',
      '4 row(s) quarantined by the contract: not scored (each row with its reason in quarantine/d/test-abc.r1.jsonl)',
      'type: 4 rows',
      '2 row(s) repeat an earlier test row exactly (or its key): counted once',
    ]);
  });

  it('reports repeats and rows equal to a training row as facts about scored rows, with the metrics without the latter', () => {
    const a = evaluationAccounting({}, 200, 0, { repeats: 4, inTraining: 10, metricsWithout: { auc: 0.91 } });
    expect(a).toMatchObject({ read: 200, scored: 200, repeats: 4, inTraining: { rows: 10, metricsWithout: { auc: 0.91 } }, reasons: [] });
    expect(a.notes).toEqual([
      '4 scored row(s) (2.0%) repeat an earlier evaluation row exactly: kept and scored, as the traffic they stand for',
      '10 scored row(s) (5.0%) equal a training row in every model input and the label (a leak when rows were copied between the sets; chance when the inputs take few values); without them: auc 0.9100',
    ]);
    expect(evaluationAccounting({}, 50, 0, { repeats: 0, inTraining: 0 }).notes).toEqual(['no evaluation row repeats another', 'no evaluation row equals a training row in every model input and the label']);
  });

  it('a holdout is every row scored unless unlabelled', () => {
    expect(evaluationAccounting({}, 200, 0)).toEqual({ read: 200, scored: 200, quarantined: 0, duplicates: 0, unlabelled: 0, reasons: [] });
  });
});

describe('multiclass calibration in the registered bundle', () => {
  const pipeline = { format: 'dps-feature-pipeline/1', task: 'multiclass', label: { column: 'y', classes: ['a', 'b', 'c', 'd'] }, features: [], excluded: [] } as unknown as FeaturePipeline;
  const fit = multiclassTask(1500, 1);
  const validation = multiclassTask(1500, 2);
  const trained = trainLinear(fit.matrix, fit.labels, { objective: 'multiclass' });
  if (!trained.ok) throw new Error(trained.error);
  // Every weight tripled: the same ranking of classes, far too confident probabilities.
  const loud = { ...trained.value, outputs: trained.value.outputs.map((o) => ({ intercept: o.intercept * 3, weights: o.weights.map((w) => w * 3) })) };
  const winner: ModelBundle = { pipeline, model: { kind: 'linear', model: loud }, calibration: { method: 'none' }, threshold: 0.5 };
  const none = { perClass: [1, 1, 1, 1], applied: false, imbalance: 1, reason: 'off' };

  it('decides a temperature on the validation split, stores it in the bundle and scores with it, the predicted classes unchanged', () => {
    const decided = decideScoring(winner, validation, { rule: 'f1' }, none, 5);
    expect(decided.decisions.calibration.method).toBe('temperature');
    expect(decided.decisions.threshold).toBeUndefined();
    const restored = modelBundleFromJson(JSON.parse(JSON.stringify(modelBundleToJson(decided.bundle))));
    if (!restored.ok) throw new Error(restored.error);
    expect(restored.value.calibration).toEqual(decided.bundle.calibration);
    const before = scoreWithBundle(winner, validation.matrix);
    const after = scoreWithBundle(restored.value, validation.matrix);
    if (!before.ok || !after.ok) throw new Error('scoring failed');
    expect(Array.from(after.value.predictions)).toEqual(Array.from(before.value.predictions));
    const loss = (p: Float64Array | undefined) => multiclassLogLoss(validation.labels, p as Float64Array, 4);
    expect(loss(after.value.probabilities)).toBeLessThan(loss(before.value.probabilities) - 0.01);
  });
});
