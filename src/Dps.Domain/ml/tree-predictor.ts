import { Result, err, ok } from '../result';
import { FeatureMatrix } from './feature-matrix';
import { BoundColumn, bindToSchema } from './feature-schema';
import { FLAG_DEFAULT_LEFT, GbdtModel, NODE_FEATURE, NODE_FLAGS, NODE_LEFT, NODE_STRIDE } from './gbdt-model';
import { sigmoid, softmaxInto } from './gbdt-objective';

/**
 * The leaf (as ~index into leafValue) a row reaches from `node`. `row[f]` is feature f of model.schema: a number,
 * or a category code of the schema's list for categoricals; NaN (or a negative code) is missing.
 */
export function leafOf(model: GbdtModel, node: number, row: ArrayLike<number>): number {
  while (node >= 0) node = childOf(model, node, row);
  return node;
}

/** The child of internal node `node` a row goes to (row as in leafOf). */
export function childOf(model: GbdtModel, node: number, row: ArrayLike<number>): number {
  const { nodes, nodeThreshold, catStart, catBits } = model;
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
  return nodes[slot + NODE_LEFT + right];
}

/** Raw score (before the link function) of one row of a single-output model (binary, regression); row as in leafOf. */
export function predictRawRow(model: GbdtModel, row: ArrayLike<number>): number {
  const { treeRoots, leafValue } = model;
  let sum = model.initScores[0];
  for (let t = 0; t < treeRoots.length; t++) sum += leafValue[~leafOf(model, treeRoots[t], row)];
  return sum;
}

/** Raw scores of one row into out[0 .. numOutputs), for any model; row as in leafOf. */
export function predictRawScores(model: GbdtModel, row: ArrayLike<number>, out: Float64Array): Float64Array {
  const k = model.numOutputs;
  out.set(model.initScores);
  for (let t = 0; t < model.treeRoots.length; t++) out[t % k] += model.leafValue[~leafOf(model, model.treeRoots[t], row)];
  return out;
}

/** Prediction for one row: a probability for binary, a value for regression, the most probable class for multiclass. */
export function predictRow(model: GbdtModel, row: ArrayLike<number>): number {
  if (model.objective === 'multiclass') return argmax(predictRawScores(model, row, new Float64Array(model.numOutputs)));
  const raw = predictRawRow(model, row);
  return model.objective === 'binary' ? sigmoid(raw) : raw;
}

/** Predictions (as predictRow) for every row of a matrix whose columns are matched to the model by name. */
export function predictMatrix(model: GbdtModel, matrix: FeatureMatrix): Result<Float64Array> {
  const raw = rawScoreTable(model, matrix);
  if (!raw.ok) return raw;
  const { values } = raw.value;
  if (model.objective === 'regression') return ok(values);
  if (model.objective === 'binary') return ok(values.map(sigmoid));
  const k = model.numOutputs;
  return ok(Float64Array.from({ length: matrix.rows }, (_, r) => argmax(values.subarray(r * k, (r + 1) * k))));
}

/** Raw scores of every row, row-major (row r's outputs at r * numOutputs ..), columns matched by name. */
export function rawScoreTable(model: GbdtModel, matrix: FeatureMatrix): Result<{ rows: number; outputs: number; values: Float64Array }> {
  const bound = bindToSchema(model.schema, matrix);
  if (!bound.ok) return err(bound.error);
  const k = model.numOutputs;
  const values = new Float64Array(matrix.rows * k);
  forEachRow(bound.value, matrix.rows, (row, r) => predictRawScores(model, row, values.subarray(r * k, (r + 1) * k)));
  return ok({ rows: matrix.rows, outputs: k, values });
}

/** Calls `visit` with each row of bound columns as one reused dense vector. */
export function forEachRow(columns: BoundColumn[], rows: number, visit: (row: Float64Array, index: number) => void): void {
  const row = new Float64Array(columns.length);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < columns.length; f++) row[f] = columns[f].values[r];
    visit(row, r);
  }
}

/** Class probabilities of raw multiclass scores, row-major, in place. */
export function softmaxRows(values: Float64Array, k: number): Float64Array {
  for (let offset = 0; offset < values.length; offset += k) softmaxInto(values, values, offset, k);
  return values;
}

/** Index of the largest value (the first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
