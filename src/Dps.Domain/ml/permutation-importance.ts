import { Result, err, ok } from '../result';
import { FeatureColumn, FeatureMatrix } from './feature-matrix';
import { FeatureImportance, rankImportances } from './feature-importance';
import { SeededRandom, createRandom, shuffleInPlace } from './seeded-random';

/** Permutation importance: the mean drop of the score when a feature's values are shuffled, and its spread. */
export interface PermutationImportance extends FeatureImportance {
  /** Standard deviation of the drop over the repeats. */
  std: number;
}

/** Any model's batch prediction, e.g. `(m) => predictMatrix(model, m)`. */
export type MatrixPredictor = (matrix: FeatureMatrix) => Result<Float64Array>;

/** A score where higher is better, e.g. AUC for binary or R² for regression. */
export type Scorer = (labels: Float64Array, predictions: Float64Array) => number;

/**
 * For each column, shuffles it `repeats` times (seeded) on the evaluation set and records how much the score
 * falls from the unshuffled baseline. Ranked, largest drop first.
 */
export function permutationImportance(
  matrix: FeatureMatrix,
  labels: Float64Array,
  predict: MatrixPredictor,
  score: Scorer,
  repeats: number,
  seed: number,
): Result<PermutationImportance[]> {
  if (!Number.isInteger(repeats) || repeats < 1) return err('repeats must be a whole number >= 1');
  const baseline = predict(matrix);
  if (!baseline.ok) return baseline;
  const baselineScore = score(labels, baseline.value);
  const random = createRandom(seed);
  const items: PermutationImportance[] = [];
  for (let c = 0; c < matrix.columns.length; c++) {
    const drops: number[] = [];
    for (let repeat = 0; repeat < repeats; repeat++) {
      const columns = matrix.columns.slice();
      columns[c] = shuffledColumn(matrix.columns[c], random);
      const predicted = predict({ rows: matrix.rows, columns });
      if (!predicted.ok) return predicted;
      drops.push(baselineScore - score(labels, predicted.value));
    }
    const mean = drops.reduce((sum, d) => sum + d, 0) / repeats;
    const variance = drops.reduce((sum, d) => sum + (d - mean) ** 2, 0) / repeats;
    items.push({ feature: matrix.columns[c].name, importance: mean, std: Math.sqrt(variance) });
  }
  return ok(rankImportances(items));
}

function shuffledColumn(column: FeatureColumn, random: SeededRandom): FeatureColumn {
  // The copy has the column's own array type, so the kind still matches.
  return { ...column, values: shuffleInPlace(column.values.slice(), random) } as FeatureColumn;
}
