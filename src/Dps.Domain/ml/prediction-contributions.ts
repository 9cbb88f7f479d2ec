import { Result, ok } from '../result';
import { FeatureMatrix } from './feature-matrix';
import type { ContributionTable } from './contribution-table';
import { bindToSchema } from './feature-schema';
import { linearContributions } from './linear-contributions';
import { TabularModel } from './tabular-model';
import { forEachRow } from './tree-predictor';
import { shapPathFor, treeExplainer, treeShapRow } from './tree-shap';

export type { ContributionTable } from './contribution-table';

/** Exact contributions of every row: TreeSHAP (path-dependent) for boosted trees, weight x centred value for linear models. */
export function predictionContributions(candidate: TabularModel, matrix: FeatureMatrix): Result<ContributionTable> {
  if (candidate.kind === 'linear') return linearContributions(candidate.model, matrix);
  const model = candidate.model;
  const explainer = treeExplainer(model);
  if (!explainer.ok) return explainer;
  const bound = bindToSchema(model.schema, matrix);
  if (!bound.ok) return bound;
  const width = model.numOutputs * model.schema.length;
  const values = new Float64Array(matrix.rows * width);
  const path = shapPathFor(explainer.value);
  forEachRow(bound.value, matrix.rows, (row, r) => treeShapRow(explainer.value, row, values.subarray(r * width, (r + 1) * width), path));
  return ok({ rows: matrix.rows, outputs: model.numOutputs, features: model.schema.map((f) => f.name), expected: explainer.value.expected, values });
}

/** Mean |contribution| per feature over rows and outputs, for the model card. */
export function meanAbsoluteContributions(table: ContributionTable): { feature: string; meanAbs: number }[] {
  const n = table.features.length;
  const totals = new Float64Array(n);
  for (let i = 0; i < table.values.length; i++) totals[i % n] += Math.abs(table.values[i]);
  const count = table.rows * table.outputs;
  return table.features.map((feature, f) => ({ feature, meanAbs: count > 0 ? totals[f] / count : 0 }));
}
