import { describe, expect, it } from 'vitest';
import { logLoss, thresholdMetrics } from '../../../src/Dps.Domain/ml/binary-metrics';
import { classWeights } from '../../../src/Dps.Domain/ml/class-weights';
import { chooseThreshold } from '../../../src/Dps.Domain/ml/decision-threshold';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { applyCalibrator, chooseCalibration, fitIsotonic, fitPlatt } from '../../../src/Dps.Domain/ml/probability-calibration';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { predictMatrix } from '../../../src/Dps.Domain/ml/tree-predictor';
import { binaryTask } from './synthetic-data';

/** Labels drawn from true probabilities q, and a miscalibrated model output p = q^3 (too low, same ranking). */
function miscalibrated(rows: number, seed: number): { labels: Float64Array; p: Float64Array; q: Float64Array } {
  const random = createRandom(seed);
  const q = Float64Array.from({ length: rows }, () => 0.05 + 0.9 * random.next());
  const labels = q.map((v) => (random.next() < v ? 1 : 0));
  return { labels, p: q.map((v) => v ** 3), q };
}

describe('probability calibration', () => {
  it('Platt recovers a logistic distortion', () => {
    const random = createRandom(1);
    const z = Float64Array.from({ length: 20000 }, () => random.next() * 8 - 4);
    const labels = z.map((v) => (random.next() < 1 / (1 + Math.exp(-(2 * v - 1))) ? 1 : 0));
    const calibrator = fitPlatt(labels, z.map((v) => 1 / (1 + Math.exp(-v))));
    expect(calibrator.method === 'platt' && [calibrator.a, calibrator.b].map((v) => Math.round(v * 10) / 10)).toEqual([2, -1]);
  });

  it('isotonic is non-decreasing and clipped away from 0 and 1', () => {
    const { labels, p } = miscalibrated(3000, 2);
    const calibrator = fitIsotonic(labels, p);
    if (calibrator.method !== 'isotonic') throw new Error('isotonic expected');
    expect(calibrator.y.every((v, i) => i === 0 || v >= calibrator.y[i - 1])).toBe(true);
    expect(Math.min(...calibrator.y)).toBeGreaterThan(0);
    expect(applyCalibrator(calibrator, 0.5)).toBeGreaterThan(applyCalibrator(calibrator, 0.1));
  });

  it('is chosen when it improves log-loss and ECE out of fold, and the reliability diagram shows it', () => {
    const { labels, p } = miscalibrated(4000, 3);
    const choice = chooseCalibration(labels, p, 7);
    if (!choice.ok) throw new Error(choice.error);
    expect(choice.value.calibrator.method).not.toBe('none');
    expect(choice.value.after.logloss).toBeLessThan(choice.value.before.logloss - 0.05);
    expect(choice.value.after.ece).toBeLessThan(choice.value.before.ece / 3);
    expect(choice.value.tried.map((t) => t.method)).toEqual(['none', 'platt', 'isotonic']);
    const applied = p.map((v) => applyCalibrator(choice.value.calibrator, v));
    expect(logLoss(labels, applied)).toBeLessThan(logLoss(labels, p));
  });

  it('is not chosen for probabilities that are already calibrated', () => {
    const { labels, q } = miscalibrated(4000, 4);
    const choice = chooseCalibration(labels, q, 7);
    expect(choice.ok && choice.value.calibrator).toEqual({ method: 'none' });
    expect(choice.ok && choice.value.after).toEqual(choice.ok && choice.value.before);
  });
});

describe('decision threshold', () => {
  const labels = Float64Array.of(0, 0, 1, 0, 1, 1, 0, 1);
  const p = Float64Array.of(0.1, 0.2, 0.3, 0.35, 0.6, 0.7, 0.75, 0.9);

  it('maximises F1 and reports the metrics at that threshold', () => {
    const choice = chooseThreshold(labels, p, { rule: 'f1' });
    if (!choice.ok) throw new Error(choice.error);
    // At 0.3: 4 TP, 2 FP, 0 FN -> F1 0.8, the best any threshold reaches here.
    expect(choice.value.threshold).toBe(0.3);
    expect(choice.value.metrics).toEqual(thresholdMetrics(labels, p, 0.3));
    expect(choice.value.metrics.f1).toBeCloseTo(0.8, 12);
  });

  it('minimises the stated costs: expensive false positives raise the threshold', () => {
    const cheapMisses = chooseThreshold(labels, p, { rule: 'cost', falsePositive: 10, falseNegative: 1 });
    expect(cheapMisses.ok && [cheapMisses.value.threshold, cheapMisses.value.cost]).toEqual([0.9, 3]);
    const costlyMisses = chooseThreshold(labels, p, { rule: 'cost', falsePositive: 1, falseNegative: 10 });
    expect(costlyMisses.ok && costlyMisses.value.threshold).toBe(0.3);
    expect(chooseThreshold(labels, p, { rule: 'cost', falsePositive: 0, falseNegative: 0 }).ok).toBe(false);
  });
});

describe('class weights', () => {
  it('turn on automatically above the ratio with balanced weights, and raise minority recall', () => {
    const data = binaryTask(3000, 8);
    // Keep every positive with probability 0.15: about 1 positive in 6 rows.
    const random = createRandom(9);
    const keep = Int32Array.from(Array.from({ length: 3000 }, (_, i) => i).filter((i) => data.labels[i] === 0 || random.next() < 0.15));
    const labels = Float64Array.from(keep, (i) => data.labels[i]);
    const matrix = { rows: keep.length, columns: data.matrix.columns.map((c) => ({ ...c, values: c.kind === 'numeric' ? Float64Array.from(keep, (i) => c.values[i]) : Int32Array.from(keep, (i) => c.values[i]) })) } as typeof data.matrix;
    const weights = classWeights(labels, 2, { mode: 'auto', ratio: 3 });
    if (!weights.ok) throw new Error(weights.error);
    expect(weights.value.applied).toBe(true);
    const count = (c: number): number => labels.filter((y) => y === c).length;
    expect(weights.value.perClass[1] * count(1)).toBeCloseTo(weights.value.perClass[0] * count(0), 9);
    const recall = (rowWeights?: Float64Array): number => {
      const trained = trainGbdt(matrix, labels, { objective: 'binary', numRounds: 50, earlyStoppingRounds: 0 }, 1, undefined, rowWeights);
      if (!trained.ok) throw new Error(trained.error);
      const predicted = predictMatrix(trained.value.model, matrix);
      return predicted.ok ? thresholdMetrics(labels, predicted.value, 0.5).recall : NaN;
    };
    expect(recall(weights.value.rowWeights)).toBeGreaterThan(recall() + 0.05);
    expect(classWeights(labels, 2, { mode: 'auto', ratio: 10 }).ok && classWeights(labels, 2, { mode: 'auto', ratio: 10 })).toMatchObject({ value: { applied: false } });
  });

  it('uses given weights and refuses bad ones', () => {
    const labels = Float64Array.of(0, 1, 2, 2);
    const given = classWeights(labels, 3, { mode: 'given', weights: [1, 2, 3] });
    expect(given.ok && Array.from(given.value.rowWeights ?? [])).toEqual([1, 2, 3, 3]);
    expect(classWeights(labels, 3, { mode: 'given', weights: [1, 2] }).ok).toBe(false);
    expect(classWeights(Float64Array.of(0, 5), 3, { mode: 'none' }).ok).toBe(false);
  });
});
