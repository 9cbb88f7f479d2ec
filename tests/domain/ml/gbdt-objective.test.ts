import { describe, expect, it } from 'vitest';
import { objectiveFor } from '../../../src/Dps.Domain/ml/gbdt-objective';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

describe('objective gradients', () => {
  const rows = 500;
  const random = createRandom(9);
  const cases = [
    { name: 'binary', objective: objectiveFor('binary', 0), labels: Float64Array.from({ length: rows }, () => random.nextInt(2)), outputs: 1 },
    { name: 'multiclass', objective: objectiveFor('multiclass', 3), labels: Float64Array.from({ length: rows }, () => random.nextInt(3)), outputs: 3 },
    { name: 'regression', objective: objectiveFor('regression', 0), labels: Float64Array.from({ length: rows }, () => random.next() * 10), outputs: 1 },
  ];
  for (const { name, objective, labels, outputs } of cases) {
    it(`${name}: the gradient pass returns the mean loss of the scores it starts from, weighted or not, extreme scores included`, () => {
      const scores = Float64Array.from({ length: rows * outputs }, (_, i) => (i % 97 === 0 ? 800 * (random.next() - 0.5) : 6 * (random.next() - 0.5)));
      const weights = Float64Array.from({ length: rows }, () => random.next() * 2);
      const grad = new Float64Array(rows * outputs);
      const hess = new Float64Array(rows * outputs);
      for (const w of [null, weights]) {
        const loss = objective.gradients(labels, scores, w, grad, hess);
        expect(Number.isFinite(loss)).toBe(true);
        expect(loss).toBeCloseTo(objective.meanLoss(labels, scores, w), 10);
      }
    });
  }

  it('binary: gradient p - y and hessian p(1 - p) from the one exponential', () => {
    const labels = Float64Array.of(1, 0, 1);
    const scores = Float64Array.of(0.3, -2, 40);
    const grad = new Float64Array(3);
    const hess = new Float64Array(3);
    objectiveFor('binary', 0).gradients(labels, scores, null, grad, hess);
    scores.forEach((s, i) => {
      const p = 1 / (1 + Math.exp(-s));
      expect(grad[i]).toBeCloseTo(p - labels[i], 15);
      expect(hess[i]).toBeCloseTo(Math.max(p * (1 - p), 1e-16), 15);
    });
  });
});
