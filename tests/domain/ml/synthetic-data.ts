import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

/** Categories of the synthetic "color" column; b, d and f raise the odds, a set no ordinal threshold can pick. */
export const COLORS = ['a', 'b', 'c', 'd', 'e', 'f'];
const POSITIVE_COLORS = new Set([1, 3, 5]);

/**
 * A binary task with a known rule: x1 > 0.5, a colour in {b, d, f} and a missing x3 each raise the odds;
 * noise carries nothing. Labels are drawn from the logistic of the rule, so the task is learnable but noisy.
 */
export function binaryTask(rows: number, seed: number): { matrix: FeatureMatrix; labels: Float64Array; trueLogit: Float64Array } {
  const random = createRandom(seed);
  const x1 = new Float64Array(rows);
  const x3 = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const color = new Int32Array(rows);
  const labels = new Float64Array(rows);
  const trueLogit = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x1[r] = random.next();
    noise[r] = random.next() * 10 - 5;
    color[r] = random.nextInt(COLORS.length);
    const missing = random.next() < 0.25;
    x3[r] = missing ? NaN : random.next();
    trueLogit[r] = 3 * (x1[r] > 0.5 ? 1 : -1) + 2.5 * (POSITIVE_COLORS.has(color[r]) ? 1 : -1) + 2.5 * (missing ? 1 : -0.4);
    labels[r] = random.next() < 1 / (1 + Math.exp(-trueLogit[r])) ? 1 : 0;
  }
  return {
    matrix: {
      rows,
      columns: [
        { name: 'x1', kind: 'numeric', values: x1 },
        { name: 'noise', kind: 'numeric', values: noise },
        { name: 'color', kind: 'categorical', values: color, categories: [...COLORS] },
        { name: 'x3', kind: 'numeric', values: x3 },
      ],
    },
    labels,
    trueLogit,
  };
}

/** A regression task y = sin(3 x1) + x2^2 + small noise, with an irrelevant column. */
export function regressionTask(rows: number, seed: number): { matrix: FeatureMatrix; labels: Float64Array } {
  const random = createRandom(seed);
  const x1 = new Float64Array(rows);
  const x2 = new Float64Array(rows);
  const noise = new Float64Array(rows);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x1[r] = random.next() * 2 - 1;
    x2[r] = random.next() * 2 - 1;
    noise[r] = random.next();
    labels[r] = Math.sin(3 * x1[r]) + x2[r] * x2[r] + (random.next() - 0.5) * 0.1;
  }
  return { matrix: numericMatrix({ x1, x2, noise }), labels };
}

/** A matrix of numeric columns, named by the keys, in key order. */
export function numericMatrix(named: Record<string, Float64Array>): FeatureMatrix {
  const columns = Object.entries(named).map(([name, values]) => ({ name, kind: 'numeric' as const, values }));
  return { rows: columns[0].values.length, columns };
}

/**
 * A 4-class task: the class is the quadrant of (x1, x2), except colour "c" which moves every row one class on;
 * 10% of labels are replaced by a random class, and x3 is noise with missing values.
 */
export function multiclassTask(rows: number, seed: number): { matrix: FeatureMatrix; labels: Float64Array } {
  const random = createRandom(seed);
  const x1 = new Float64Array(rows);
  const x2 = new Float64Array(rows);
  const x3 = new Float64Array(rows);
  const color = new Int32Array(rows);
  const labels = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    x1[r] = random.next() * 2 - 1;
    x2[r] = random.next() * 2 - 1;
    x3[r] = random.next() < 0.2 ? NaN : random.next();
    color[r] = random.nextInt(3);
    const quadrant = (x1[r] > 0 ? 1 : 0) + (x2[r] > 0 ? 2 : 0);
    labels[r] = random.next() < 0.1 ? random.nextInt(4) : (quadrant + (color[r] === 2 ? 1 : 0)) % 4;
  }
  return {
    matrix: {
      rows,
      columns: [
        { name: 'x1', kind: 'numeric', values: x1 },
        { name: 'x2', kind: 'numeric', values: x2 },
        { name: 'color', kind: 'categorical', values: color, categories: ['a', 'b', 'c'] },
        { name: 'x3', kind: 'numeric', values: x3 },
      ],
    },
    labels,
  };
}
