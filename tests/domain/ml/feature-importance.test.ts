import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/Dps.Domain/ml/binary-metrics';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { gainImportance } from '../../../src/Dps.Domain/ml/feature-importance';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { predictLinear, trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { permutationImportance } from '../../../src/Dps.Domain/ml/permutation-importance';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { predictMatrix } from '../../../src/Dps.Domain/ml/tree-predictor';
import { numericMatrix } from './synthetic-data';

/** Only `signal` decides the label (with 5% flips); the other columns are noise. */
function task(rows: number, seed: number): { matrix: FeatureMatrix; labels: Float64Array } {
  const random = createRandom(seed);
  const column = (): Float64Array => Float64Array.from({ length: rows }, () => random.next());
  const noiseA = column();
  const signal = column();
  const noiseB = column();
  const labels = signal.map((v) => (v > 0.4 !== random.next() < 0.05 ? 1 : 0));
  return { matrix: numericMatrix({ noiseA, signal, noiseB }), labels };
}

describe('feature importance', () => {
  const data = task(2000, 1);
  const evaluation = task(1000, 2);
  const trained = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 60, earlyStoppingRounds: 0 }, 1);
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value.model;

  it('gain importance ranks the informative feature first', () => {
    const ranked = gainImportance(model);
    expect(ranked.map((item) => item.feature)[0]).toBe('signal');
    expect(ranked[0].importance).toBeGreaterThan(10 * ranked[1].importance);
    expect(ranked.reduce((sum, item) => sum + item.splits, 0)).toBe(model.nodeThreshold.length);
  });

  it('permutation importance ranks the informative feature first, for trees and linear models', () => {
    const gbdt = permutationImportance(evaluation.matrix, evaluation.labels, (m) => predictMatrix(model, m), auc, 3, 7);
    if (!gbdt.ok) throw new Error(gbdt.error);
    expect(gbdt.value[0].feature).toBe('signal');
    expect(gbdt.value[0].importance).toBeGreaterThan(0.3);
    expect(Math.abs(gbdt.value[2].importance)).toBeLessThan(0.02);

    const linear = trainLinear(data.matrix, data.labels, { objective: 'binary' });
    if (!linear.ok) throw new Error(linear.error);
    const ranked = permutationImportance(evaluation.matrix, evaluation.labels, (m) => predictLinear(linear.value, m), auc, 2, 7);
    expect(ranked.ok && ranked.value[0].feature).toBe('signal');
  });

  it('permutation importance is deterministic for a seed', () => {
    const run = (seed: number) => permutationImportance(evaluation.matrix, evaluation.labels, (m) => predictMatrix(model, m), auc, 2, seed);
    expect(run(3)).toEqual(run(3));
    expect(run(3)).not.toEqual(run(4));
    expect(permutationImportance(evaluation.matrix, evaluation.labels, (m) => predictMatrix(model, m), auc, 0, 1).ok).toBe(false);
  });
});
