import { describe, expect, it } from 'vitest';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { bindToSchema } from '../../../src/Dps.Domain/ml/feature-schema';
import { NODE_FEATURE, NODE_LEFT, NODE_STRIDE } from '../../../src/Dps.Domain/ml/gbdt-model';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { ContributionTable, meanAbsoluteContributions, predictionContributions } from '../../../src/Dps.Domain/ml/prediction-contributions';
import { TabularModel, rawScores } from '../../../src/Dps.Domain/ml/tabular-model';
import { childOf } from '../../../src/Dps.Domain/ml/tree-predictor';
import { treeExplainer } from '../../../src/Dps.Domain/ml/tree-shap';
import { binaryTask, multiclassTask, regressionTask } from './synthetic-data';

/** Largest |expected + sum of contributions - raw score| over every row and output. */
function additivityGap(model: TabularModel, matrix: FeatureMatrix): number {
  const table = predictionContributions(model, matrix);
  if (!table.ok) throw new Error(table.error);
  const raw = rawScores(model, matrix);
  if (!raw.ok) throw new Error(raw.error);
  return worstGap(table.value, raw.value.values);
}

function worstGap(table: ContributionTable, raw: Float64Array): number {
  const n = table.features.length;
  let worst = 0;
  for (let r = 0; r < table.rows; r++) {
    for (let k = 0; k < table.outputs; k++) {
      let sum = table.expected[k];
      for (let f = 0; f < n; f++) sum += table.values[(r * table.outputs + k) * n + f];
      worst = Math.max(worst, Math.abs(sum - raw[r * table.outputs + k]));
    }
  }
  return worst;
}

function gbdt(matrix: FeatureMatrix, labels: Float64Array, objective: 'binary' | 'multiclass' | 'regression', rounds: number): TabularModel {
  const trained = trainGbdt(matrix, labels, { objective, numRounds: rounds, earlyStoppingRounds: 0, featureFraction: 0.8, baggingFraction: 0.8 }, 2);
  if (!trained.ok) throw new Error(trained.error);
  return { kind: 'gbdt', model: trained.value.model };
}

function linear(matrix: FeatureMatrix, labels: Float64Array, objective: 'binary' | 'multiclass' | 'regression'): TabularModel {
  const trained = trainLinear(matrix, labels, { objective });
  if (!trained.ok) throw new Error(trained.error);
  return { kind: 'linear', model: trained.value };
}

describe('per-prediction contributions add up to the raw score on every row', () => {
  const binary = binaryTask(600, 3);
  const regression = regressionTask(600, 4);
  const multi = multiclassTask(600, 5);
  it('binary: TreeSHAP and the linear model', () => {
    expect(additivityGap(gbdt(binary.matrix, binary.labels, 'binary', 100), binary.matrix)).toBeLessThan(1e-6);
    expect(additivityGap(linear(binary.matrix, binary.labels, 'binary'), binary.matrix)).toBeLessThan(1e-6);
  });
  it('regression: TreeSHAP and the linear model', () => {
    expect(additivityGap(gbdt(regression.matrix, regression.labels, 'regression', 100), regression.matrix)).toBeLessThan(1e-6);
    expect(additivityGap(linear(regression.matrix, regression.labels, 'regression'), regression.matrix)).toBeLessThan(1e-6);
  });
  it('multiclass: per class, TreeSHAP and the linear model', () => {
    expect(additivityGap(gbdt(multi.matrix, multi.labels, 'multiclass', 40), multi.matrix)).toBeLessThan(1e-6);
    expect(additivityGap(linear(multi.matrix, multi.labels, 'multiclass'), multi.matrix)).toBeLessThan(1e-6);
  });

  it('gives the irrelevant feature the least weight', () => {
    const table = predictionContributions(gbdt(binary.matrix, binary.labels, 'binary', 60), binary.matrix);
    if (!table.ok) throw new Error(table.error);
    const ranked = meanAbsoluteContributions(table.value).sort((a, b) => b.meanAbs - a.meanAbs);
    expect(ranked[ranked.length - 1].feature).toBe('noise');
  });
});

describe('TreeSHAP matches brute-force Shapley values', () => {
  it('of the path-dependent conditional expectation, feature by feature', () => {
    const data = binaryTask(800, 6);
    const model = gbdt(data.matrix, data.labels, 'binary', 8);
    if (model.kind !== 'gbdt') throw new Error('gbdt expected');
    const explainer = treeExplainer(model.model);
    if (!explainer.ok) throw new Error(explainer.error);
    const { nodeCover } = explainer.value;
    const m = model.model;
    const cover = (child: number): number => (child >= 0 ? nodeCover[child] : m.leafCover[~child]);
    // E[f(x) | x_S] with the tree's own cover weights: known features follow the row, unknown ones average the children.
    const conditional = (node: number, row: Float64Array, known: Set<number>): number => {
      if (node < 0) return m.leafValue[~node];
      const left = m.nodes[node * NODE_STRIDE + NODE_LEFT];
      const right = m.nodes[node * NODE_STRIDE + NODE_LEFT + 1];
      if (known.has(m.nodes[node * NODE_STRIDE + NODE_FEATURE])) return conditional(childOf(m, node, row), row, known);
      return (cover(left) * conditional(left, row, known) + cover(right) * conditional(right, row, known)) / nodeCover[node];
    };
    const value = (row: Float64Array, known: Set<number>): number => Array.from(m.treeRoots).reduce((sum, root) => sum + conditional(root, row, known), 0);
    const features = m.schema.length;
    const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
    const bound = bindToSchema(m.schema, data.matrix);
    if (!bound.ok) throw new Error(bound.error);
    const table = predictionContributions(model, data.matrix);
    if (!table.ok) throw new Error(table.error);
    for (let r = 0; r < 15; r++) {
      const row = Float64Array.from(bound.value, (column) => column.values[r]);
      for (let f = 0; f < features; f++) {
        let phi = 0;
        for (let mask = 0; mask < 1 << features; mask++) {
          if (mask & (1 << f)) continue;
          const known = new Set(Array.from({ length: features }, (_, j) => j).filter((j) => mask & (1 << j)));
          const size = known.size;
          const weight = (factorial(size) * factorial(features - size - 1)) / factorial(features);
          const without = value(row, known);
          known.add(f);
          phi += weight * (value(row, known) - without);
        }
        expect(table.value.values[r * features + f]).toBeCloseTo(phi, 10);
      }
    }
  });
});
