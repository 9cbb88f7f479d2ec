import { Result, err, ok } from '../result';

/** One feature, stored column-wise; NaN (numeric) or -1 (categorical) marks a missing value. */
export type FeatureColumn =
  | { name: string; kind: 'numeric'; values: Float64Array }
  | { name: string; kind: 'categorical'; values: Int32Array; categories: string[] };

/** A column-oriented table of features: every column holds `rows` values. */
export interface FeatureMatrix {
  rows: number;
  columns: FeatureColumn[];
}

/** Features with their labels (0/1 for binary, class 0..K-1 for multiclass, real for regression) and optional row weights. */
export interface LabelledMatrix {
  matrix: FeatureMatrix;
  labels: Float64Array;
  weights?: Float64Array;
}

/** Checks that columns have `rows` values, unique names, valid category codes and matching labels. */
export function checkMatrix(matrix: FeatureMatrix, labels?: Float64Array): Result<FeatureMatrix> {
  if (matrix.rows <= 0) return err('the feature matrix has no rows');
  if (matrix.columns.length === 0) return err('the feature matrix has no columns');
  const names = new Set<string>();
  for (const column of matrix.columns) {
    if (names.has(column.name)) return err(`column "${column.name}" appears twice`);
    names.add(column.name);
    if (column.values.length !== matrix.rows) {
      return err(`column "${column.name}" has ${column.values.length} values, expected ${matrix.rows}`);
    }
    if (column.kind === 'numeric' && column.values.some((v) => v === Infinity || v === -Infinity)) {
      return err(`column "${column.name}" holds an infinite value; use NaN for missing`);
    }
    if (column.kind === 'categorical') {
      const bad = column.values.find((code) => code < -1 || code >= column.categories.length);
      if (bad !== undefined) return err(`column "${column.name}" holds category code ${bad} outside its categories`);
    }
  }
  if (labels !== undefined) {
    if (labels.length !== matrix.rows) return err(`${labels.length} labels for ${matrix.rows} rows`);
    if (labels.some((label) => !Number.isFinite(label))) return err('labels must be finite numbers');
  }
  return ok(matrix);
}

/** The rows at `indices`, in that order, as a new matrix sharing the column metadata. */
export function selectRows(matrix: FeatureMatrix, indices: Int32Array): FeatureMatrix {
  const columns = matrix.columns.map((column): FeatureColumn => {
    if (column.kind === 'numeric') return { ...column, values: gather(column.values, indices, Float64Array) };
    return { ...column, values: gather(column.values, indices, Int32Array) };
  });
  return { rows: indices.length, columns };
}

/** The rows of `first` then those of `second` (same columns, in the same order, with the same categories), labels and weights alike. */
export function concatRows(first: LabelledMatrix, second: LabelledMatrix): LabelledMatrix {
  const rows = first.matrix.rows + second.matrix.rows;
  const columns = first.matrix.columns.map((column, c): FeatureColumn => {
    const other = second.matrix.columns[c];
    if (other?.name !== column.name || other.kind !== column.kind) throw new Error(`concatRows: column ${c} is "${column.name}" in one matrix and "${other?.name}" in the other`);
    return column.kind === 'numeric'
      ? { ...column, values: joined(column.values, other.values as Float64Array, Float64Array) }
      : { ...column, values: joined(column.values, other.values as Int32Array, Int32Array) };
  });
  const weights = first.weights && second.weights ? { weights: joined(first.weights, second.weights, Float64Array) } : {};
  return { matrix: { rows, columns }, labels: joined(first.labels, second.labels, Float64Array), ...weights };
}

function joined<A extends Float64Array | Int32Array>(a: A, b: A, Make: new (length: number) => A): A {
  const out = new Make(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The values at `indices`, in that order. */
export function selectValues(values: Float64Array, indices: Int32Array): Float64Array {
  return gather(values, indices, Float64Array);
}

function gather<A extends Float64Array | Int32Array>(
  source: A,
  indices: Int32Array,
  Make: new (length: number) => A,
): A {
  const out = new Make(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = source[indices[i]];
  return out;
}
