import { describe, expect, it } from 'vitest';
import type { FeaturePipeline } from '../../../src/Dps.Domain/ml/feature-pipeline';
import { gbdtModelToJson } from '../../../src/Dps.Domain/ml/gbdt-model-json';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { ModelBundle, modelBundleFromJson, modelBundleToJson, scoreWithBundle } from '../../../src/Dps.Domain/ml/model-bundle';
import { applyCalibrator } from '../../../src/Dps.Domain/ml/probability-calibration';
import { predictMatrix } from '../../../src/Dps.Domain/ml/tree-predictor';
import { binaryTask, multiclassTask } from './synthetic-data';

const pipeline = { format: 'dps-feature-pipeline/1', task: 'binary', label: { column: 'y', positiveClass: 'yes' }, features: [], excluded: [] } as FeaturePipeline;

describe('model bundle (the registered artifact)', () => {
  const data = binaryTask(800, 4);
  const gbdt = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 30, earlyStoppingRounds: 0 }, 1);
  if (!gbdt.ok) throw new Error(gbdt.error);

  it('applies calibration and the threshold when scoring, and survives JSON', () => {
    const bundle: ModelBundle = { pipeline, model: { kind: 'gbdt', model: gbdt.value.model }, calibration: { method: 'platt', a: 0.5, b: -0.2 }, threshold: 0.3, thresholdRule: { rule: 'f1' } };
    const restored = modelBundleFromJson(JSON.parse(JSON.stringify(modelBundleToJson(bundle))));
    if (!restored.ok) throw new Error(restored.error);
    const scores = scoreWithBundle(restored.value, data.matrix);
    const plain = predictMatrix(gbdt.value.model, data.matrix);
    if (!scores.ok || !plain.ok) throw new Error('scoring failed');
    for (let r = 0; r < 50; r++) {
      const p = applyCalibrator(bundle.calibration, plain.value[r]);
      expect(scores.value.probability?.[r]).toBeCloseTo(p, 14);
      expect(scores.value.predictions[r]).toBe(p >= 0.3 ? 1 : 0);
    }
  });

  it('loads a dps-model/1 artifact registered before bundles (a GBDT, no calibration)', () => {
    const { initScores, leafCover: _covers, ...rest } = gbdtModelToJson(gbdt.value.model);
    const v1 = { format: 'dps-model/1', pipeline, threshold: 0.5, model: { ...rest, format: 'dps-gbdt/1', initScore: initScores[0] } };
    const loaded = modelBundleFromJson(JSON.parse(JSON.stringify(v1)));
    expect(loaded.ok && loaded.value.calibration).toEqual({ method: 'none' });
    const scores = loaded.ok ? scoreWithBundle(loaded.value, data.matrix) : null;
    const plain = predictMatrix(gbdt.value.model, data.matrix);
    expect(scores?.ok && plain.ok && Array.from(scores.value.probability ?? [])).toEqual(plain.ok && Array.from(plain.value));
  });

  it('holds a multiclass linear baseline and gives class probabilities', () => {
    const multi = multiclassTask(600, 2);
    const linear = trainLinear(multi.matrix, multi.labels, { objective: 'multiclass' });
    if (!linear.ok) throw new Error(linear.error);
    const bundle: ModelBundle = { pipeline: { ...pipeline, task: 'multiclass' }, model: { kind: 'linear', model: linear.value }, calibration: { method: 'none' }, threshold: 0.5 };
    const restored = modelBundleFromJson(JSON.parse(JSON.stringify(modelBundleToJson(bundle))));
    if (!restored.ok) throw new Error(restored.error);
    const scores = scoreWithBundle(restored.value, multi.matrix);
    if (!scores.ok) throw new Error(scores.error);
    expect(scores.value.probabilities?.length).toBe(600 * 4);
    expect(scores.value.probabilities?.subarray(0, 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('refuses malformed bundles with a reason', () => {
    const good = modelBundleToJson({ pipeline, model: { kind: 'gbdt', model: gbdt.value.model }, calibration: { method: 'none' }, threshold: 0.5 });
    const reason = (value: unknown): string => {
      const result = modelBundleFromJson(value);
      return result.ok ? 'accepted' : result.error;
    };
    expect(reason({ ...good, threshold: 2 })).toBe('threshold must be a number in [0, 1]');
    expect(reason({ ...good, calibration: { method: 'magic' } })).toBe("calibration: method must be 'none', 'platt', 'isotonic' or 'temperature'");
    expect(reason({ ...good, calibration: { method: 'temperature', temperature: 0 } })).toBe('calibration: temperature must be a finite number > 0');
    expect(reason({ ...good, format: 'dps-model/9' })).toBe('not a dps-model/2 (or dps-model/1) bundle');
  });
});
