import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { calibrateClassProbabilities, chooseMulticlassCalibration, fitTemperature, multiclassLogLoss, topLabelReliability } from '../../../src/Dps.Domain/ml/temperature-scaling';

const K = 4;

function softmax(logits: number[]): number[] {
  const top = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / total);
}

/** Rows whose labels are drawn from softmax(z); `sharpen` multiplies the logits the "model" reports (over-confident when > 1). */
function draws(rows: number, sharpen: number, seed: number): { labels: Float64Array; probabilities: Float64Array } {
  const random = createRandom(seed);
  const labels = new Float64Array(rows);
  const probabilities = new Float64Array(rows * K);
  for (let r = 0; r < rows; r++) {
    const z = Array.from({ length: K }, () => random.next() * 3);
    const truth = softmax(z);
    let u = random.next();
    let y = 0;
    while (y < K - 1 && u >= truth[y]) u -= truth[y++];
    labels[r] = y;
    probabilities.set(softmax(z.map((v) => v * sharpen)), r * K);
  }
  return { labels, probabilities };
}

describe('temperature scaling of class probabilities', () => {
  it('is softmax(logits / T), keeps every row summing to 1 and its most probable class', () => {
    const logits = [2, 0.5, -1, 0];
    const p = Float64Array.from(softmax(logits));
    const scaled = calibrateClassProbabilities({ method: 'temperature', temperature: 2 }, p, K);
    const expected = softmax(logits.map((z) => z / 2));
    expected.forEach((v, c) => expect(scaled[c]).toBeCloseTo(v, 12));
    expect(scaled.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(scaled.indexOf(Math.max(...scaled))).toBe(0);
    expect(calibrateClassProbabilities({ method: 'none' }, p, K)).toBe(p);
  });

  it('finds the temperature that undoes over-confidence', () => {
    const { labels, probabilities } = draws(6000, 3, 1);
    const fitted = fitTemperature(labels, probabilities, K);
    expect(fitted.method).toBe('temperature');
    expect(fitted.method === 'temperature' && fitted.temperature).toBeGreaterThan(2.6);
    expect(fitted.method === 'temperature' && fitted.temperature).toBeLessThan(3.4);
    expect(multiclassLogLoss(labels, calibrateClassProbabilities(fitted, probabilities, K), K)).toBeLessThan(multiclassLogLoss(labels, probabilities, K));
  });

  it('is chosen for an over-confident model, with the top-label ECE lower after, and not for a calibrated one', () => {
    const loud = draws(3000, 3, 2);
    const chosen = chooseMulticlassCalibration(loud.labels, loud.probabilities, K, 7);
    if (!chosen.ok) throw new Error(chosen.error);
    expect(chosen.value.calibrator.method).toBe('temperature');
    expect(chosen.value.after.ece).toBeLessThan(chosen.value.before.ece);
    expect(chosen.value.reason).toMatch(/^temperature \d\.\d{3} lowered the out-of-fold log-loss/);
    const honest = draws(3000, 1, 3);
    const kept = chooseMulticlassCalibration(honest.labels, honest.probabilities, K, 7);
    expect(kept.ok && kept.value.calibrator).toEqual({ method: 'none' });
    expect(chooseMulticlassCalibration(honest.labels, honest.probabilities.subarray(1), K, 7).ok).toBe(false);
  });

  it('reports top-label reliability as confidence against accuracy', () => {
    const labels = Float64Array.from([0, 1, 2, 2]);
    const probabilities = Float64Array.from([0.9, 0.05, 0.05, 0, 0.9, 0.05, 0.05, 0, 0.3, 0.2, 0.4, 0.1, 0.25, 0.25, 0.25, 0.25].slice(0, 16));
    const bins = topLabelReliability(labels, probabilities, K, 10).filter((b) => b.count > 0);
    expect(bins.map((b) => [b.count, b.meanPredicted, b.observedRate])).toEqual([[1, 0.25, 0], [1, 0.4, 1], [2, 0.9, 0.5]]);
  });
});
