import { BinnedMatrix } from './histogram-binner';

/** Stride of one bin in a histogram: sum of gradients, sum of hessians, row count. */
export const BIN_STRIDE = 3;

/** Where each feature's bins start in a flat histogram, and the histogram's total length. */
export interface HistogramLayout {
  offsets: Int32Array;
  length: number;
}

/** Lays out all features' bins one after another. */
export function histogramLayout(binned: BinnedMatrix): HistogramLayout {
  const offsets = new Int32Array(binned.numBins.length);
  let total = 0;
  binned.numBins.forEach((bins, f) => {
    offsets[f] = total;
    total += bins;
  });
  return { offsets, length: total * BIN_STRIDE };
}

/**
 * Fills `hist` for the given features with the gradient, hessian and count of `rows` (distinct).
 * `orderedGrad`/`orderedHess` are scratch space of at least rows.length: gathering first keeps the inner loops
 * sequential. Features go two per pass over the rows, so each row's index, gradient and hessian are read once per
 * pair; each bin still sums its rows in row order, so the result is the same to the bit as one feature at a time.
 */
export function buildHistogram(
  hist: Float64Array,
  layout: HistogramLayout,
  binned: BinnedMatrix,
  features: Int32Array,
  rows: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  orderedGrad: Float64Array,
  orderedHess: Float64Array,
): void {
  const n = rows.length;
  // Every row (the root without bagging): no gather, reads in row order.
  const everyRow = n === binned.rows;
  if (!everyRow) {
    for (let i = 0; i < n; i++) {
      orderedGrad[i] = grad[rows[i]];
      orderedHess[i] = hess[rows[i]];
    }
  }
  const g = everyRow ? grad : orderedGrad;
  const h = everyRow ? hess : orderedHess;
  const cleared = (f: number): number => {
    const start = layout.offsets[f] * BIN_STRIDE;
    hist.fill(0, start, start + binned.numBins[f] * BIN_STRIDE);
    return start;
  };
  let k = 0;
  for (; k + 1 < features.length; k += 2) {
    const first = binned.bins[features[k]];
    const second = binned.bins[features[k + 1]];
    const s1 = cleared(features[k]);
    const s2 = cleared(features[k + 1]);
    for (let i = 0; i < n; i++) {
      const row = everyRow ? i : rows[i];
      const gi = g[i];
      const hi = h[i];
      const a = s1 + first[row] * BIN_STRIDE;
      const b = s2 + second[row] * BIN_STRIDE;
      hist[a] += gi;
      hist[a + 1] += hi;
      hist[a + 2] += 1;
      hist[b] += gi;
      hist[b + 1] += hi;
      hist[b + 2] += 1;
    }
  }
  if (k < features.length) {
    const column = binned.bins[features[k]];
    const start = cleared(features[k]);
    for (let i = 0; i < n; i++) {
      const at = start + column[everyRow ? i : rows[i]] * BIN_STRIDE;
      hist[at] += g[i];
      hist[at + 1] += h[i];
      hist[at + 2] += 1;
    }
  }
}

/** Turns a parent histogram into its other child's by subtracting one child (LightGBM's subtraction trick). */
export function subtractHistogram(
  parentToSibling: Float64Array,
  child: Float64Array,
  layout: HistogramLayout,
  binned: BinnedMatrix,
  features: Int32Array,
): void {
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const start = layout.offsets[f] * BIN_STRIDE;
    const end = start + binned.numBins[f] * BIN_STRIDE;
    for (let i = start; i < end; i++) parentToSibling[i] -= child[i];
  }
}
