import { describe, expect, it } from 'vitest';
import { auc, evaluateBinary, logLoss, thresholdMetrics } from '../../../src/Dps.Domain/ml/binary-metrics';
import { brierScore, expectedCalibrationError, reliabilityBins } from '../../../src/Dps.Domain/ml/calibration-metrics';

const f = (...values: number[]): Float64Array => Float64Array.from(values);

describe('binary metrics against hand-computed cases', () => {
  it('AUC counts tied scores as half a win', () => {
    // Pairs (positive, negative): 0.8~0.8 -> 0.5, 0.8>0.2 -> 1, 0.4<0.8 -> 0, 0.4>0.2 -> 1: 2.5 / 4.
    expect(auc(f(1, 0, 1, 0), f(0.8, 0.8, 0.4, 0.2))).toBe(0.625);
    expect(auc(f(1, 0, 1, 0), f(0.5, 0.5, 0.5, 0.5))).toBe(0.5);
    expect(auc(f(0, 0, 1, 1), f(0.1, 0.2, 0.3, 0.4))).toBe(1);
    expect(auc(f(1, 1), f(0.1, 0.2))).toBeNaN();
  });

  it('log-loss is the mean negative log-likelihood, finite for confident misses', () => {
    expect(logLoss(f(1, 0), f(0.8, 0.4))).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 12);
    expect(Number.isFinite(logLoss(f(1), f(0)))).toBe(true);
  });

  it('accuracy, precision, recall and F1 at a threshold', () => {
    // Predicted positive: 0.9, 0.6, 0.7 -> TP 2, FP 1, FN 1, TN 1.
    const m = thresholdMetrics(f(1, 1, 1, 0, 0), f(0.9, 0.6, 0.3, 0.7, 0.1), 0.5);
    expect(m).toMatchObject({ truePositives: 2, falsePositives: 1, falseNegatives: 1, trueNegatives: 1 });
    expect(m.accuracy).toBeCloseTo(0.6, 12);
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
    expect(thresholdMetrics(f(1, 0), f(0.1, 0.2), 0.5)).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });

  it('calibration: reliability bins, Brier score and ECE', () => {
    const labels = f(0, 1, 1, 1);
    const probabilities = f(0.2, 0.3, 0.7, 0.9);
    const bins = reliabilityBins(labels, probabilities, 2);
    expect(bins.map((b) => b.count)).toEqual([2, 2]);
    expect(bins[0].meanPredicted).toBeCloseTo(0.25, 12);
    expect(bins[0].observedRate).toBe(0.5);
    expect(bins[1].meanPredicted).toBeCloseTo(0.8, 12);
    // 0.5 * |0.25 - 0.5| + 0.5 * |0.8 - 1|
    expect(expectedCalibrationError(bins, 4)).toBeCloseTo(0.225, 12);
    expect(brierScore(f(1, 0), f(0.8, 0.4))).toBeCloseTo(0.1, 12);
    expect(reliabilityBins(f(1), f(1), 10)[9].count).toBe(1);
  });

  it('evaluateBinary reports everything and refuses inputs it cannot judge', () => {
    const report = evaluateBinary(f(1, 0, 1, 0), f(0.8, 0.8, 0.4, 0.2));
    expect(report.ok && report.value.auc).toBe(0.625);
    expect(report.ok && report.value.positives).toBe(2);
    expect(evaluateBinary(f(1, 1), f(0.2, 0.3)).ok).toBe(false);
    expect(evaluateBinary(f(1, 0), f(0.2)).ok).toBe(false);
    expect(evaluateBinary(f(1, 0), f(0.2, 1.5)).ok).toBe(false);
    expect(evaluateBinary(f(1, 2), f(0.2, 0.5)).ok).toBe(false);
  });
});
