import { Result, err, ok } from '../result';
import { FeatureMatrix } from './feature-matrix';
import { bindToSchema } from './feature-schema';
import { FLAG_DEFAULT_LEFT, GbdtModel, NODE_FEATURE, NODE_FLAGS, NODE_LEFT, NODE_STRIDE } from './gbdt-model';
import { sigmoid } from './gbdt-objective';

/**
 * Raw score (before the link function) of one row. `row[f]` is feature f of model.schema: a number, or a
 * category code of the schema's list for categoricals; NaN (or a negative code) is missing.
 */
export function predictRawRow(model: GbdtModel, row: ArrayLike<number>): number {
  const { treeRoots, nodes, nodeThreshold, catStart, catBits, leafValue } = model;
  let sum = model.initScore;
  for (let t = 0; t < treeRoots.length; t++) {
    let node = treeRoots[t];
    while (node >= 0) {
      const slot = node * NODE_STRIDE;
      const value = row[nodes[slot + NODE_FEATURE]];
      const flags = nodes[slot + NODE_FLAGS];
      let right: number;
      // Numeric nodes need no NaN test: NaN fails both comparisons, which sends it the default way.
      if (flags === 0) right = value <= nodeThreshold[node] ? 0 : 1;
      else if (flags === FLAG_DEFAULT_LEFT) right = value > nodeThreshold[node] ? 1 : 0;
      else if (!(value >= 0)) right = flags & FLAG_DEFAULT_LEFT ? 0 : 1;
      else {
        // Codes past the bitset (unseen categories) go right.
        const word = catStart[node] + (value >>> 5);
        right = word < catStart[node + 1] && ((catBits[word] >>> (value & 31)) & 1) === 1 ? 0 : 1;
      }
      node = nodes[slot + NODE_LEFT + right];
    }
    sum += leafValue[~node];
  }
  return sum;
}

/** Prediction for one row: a probability for binary models, a value for regression (row as in predictRawRow). */
export function predictRow(model: GbdtModel, row: ArrayLike<number>): number {
  const raw = predictRawRow(model, row);
  return model.objective === 'binary' ? sigmoid(raw) : raw;
}

/** Predictions for every row of a matrix whose columns are matched to the model by name. */
export function predictMatrix(model: GbdtModel, matrix: FeatureMatrix): Result<Float64Array> {
  const bound = bindToSchema(model.schema, matrix);
  if (!bound.ok) return err(bound.error);
  const columns = bound.value;
  const row = new Float64Array(columns.length);
  const out = new Float64Array(matrix.rows);
  for (let r = 0; r < matrix.rows; r++) {
    for (let f = 0; f < columns.length; f++) row[f] = columns[f].values[r];
    out[r] = predictRow(model, row);
  }
  return ok(out);
}
