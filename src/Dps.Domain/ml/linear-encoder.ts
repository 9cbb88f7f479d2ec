import { BoundColumn, FeatureSchema } from './feature-schema';

/** One input of a linear model, derived from one feature. */
export type EncodedInput =
  /** (value - mean) / scale; a missing value becomes 0, the mean. */
  | { kind: 'standardised'; feature: number; mean: number; scale: number }
  /** 1 when the feature is missing (only for features with missing values in training). */
  | { kind: 'missing'; feature: number }
  /** 1 when the categorical feature has this code (one-hot). */
  | { kind: 'category'; feature: number; code: number };

/** How features become linear-model inputs: standardised numerics, one-hot categoricals, missing indicators. */
export interface LinearEncoder {
  schema: FeatureSchema[];
  inputs: EncodedInput[];
}

/** Rows as sparse vectors (CSR); input 0 is the intercept, always 1. */
export interface SparseRows {
  rows: number;
  width: number;
  start: Int32Array;
  index: Int32Array;
  value: Float64Array;
}

/** Learns the encoding from training columns; categoricals keep their `maxCategories` most frequent codes. */
export function fitLinearEncoder(schema: FeatureSchema[], columns: BoundColumn[], maxCategories: number): LinearEncoder {
  const inputs: EncodedInput[] = [];
  columns.forEach((column, feature) => {
    let missing = 0;
    if (column.kind === 'numeric') {
      let sum = 0;
      let sumSquares = 0;
      for (const v of column.values) {
        if (v !== v) missing++;
        else {
          sum += v;
          sumSquares += v * v;
        }
      }
      const present = column.values.length - missing;
      const mean = present > 0 ? sum / present : 0;
      const sd = present > 0 ? Math.sqrt(Math.max(sumSquares / present - mean * mean, 0)) : 0;
      // A constant column keeps scale 1 so it encodes as zeros instead of dividing by zero.
      inputs.push({ kind: 'standardised', feature, mean, scale: sd > 0 ? sd : 1 });
    } else {
      const counts = new Map<number, number>();
      for (const code of column.values) {
        if (code < 0) missing++;
        else counts.set(code, (counts.get(code) ?? 0) + 1);
      }
      [...counts.entries()]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, maxCategories)
        .sort((a, b) => a[0] - b[0])
        .forEach(([code]) => inputs.push({ kind: 'category', feature, code }));
    }
    if (missing > 0) inputs.push({ kind: 'missing', feature });
  });
  return { schema, inputs };
}

/** Encodes bound columns into sparse rows with a leading intercept input. */
export function encodeRows(encoder: LinearEncoder, columns: BoundColumn[], rows: number): SparseRows {
  const start = new Int32Array(rows + 1);
  const index: number[] = [];
  const value: number[] = [];
  const push = (at: number, v: number): void => {
    index.push(at);
    value.push(v);
  };
  for (let r = 0; r < rows; r++) {
    push(0, 1);
    encoder.inputs.forEach((input, i) => {
      const column = columns[input.feature];
      const v = column.values[r];
      const isMissing = column.kind === 'numeric' ? v !== v : v < 0;
      if (input.kind === 'standardised' && !isMissing) push(i + 1, (v - input.mean) / input.scale);
      else if (input.kind === 'missing' && isMissing) push(i + 1, 1);
      else if (input.kind === 'category' && v === input.code) push(i + 1, 1);
    });
    start[r + 1] = index.length;
  }
  return { rows, width: encoder.inputs.length + 1, start, index: Int32Array.from(index), value: Float64Array.from(value) };
}
