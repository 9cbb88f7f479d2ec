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
 * Fills `hist` for the given features with the gradient, hessian and count of `rows`.
 * `rows` are distinct. `orderedGrad`/`orderedHess` are scratch space of at least rows.length; gathering first keeps the
 * inner loops sequential.
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
  // Every row (the root without bagging; rows are distinct): no gather, reads in row order.
  if (n === binned.rows) {
    for (let k = 0; k < features.length; k++) {
      const f = features[k];
      const start = layout.offsets[f] * BIN_STRIDE;
      hist.fill(0, start, start + binned.numBins[f] * BIN_STRIDE);
      const column = binned.bins[f];
      for (let i = 0; i < n; i++) {
        const at = start + column[i] * BIN_STRIDE;
        hist[at] += grad[i];
        hist[at + 1] += hess[i];
        hist[at + 2] += 1;
      }
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    orderedGrad[i] = grad[rows[i]];
    orderedHess[i] = hess[rows[i]];
  }
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const start = layout.offsets[f] * BIN_STRIDE;
    hist.fill(0, start, start + binned.numBins[f] * BIN_STRIDE);
    const column = binned.bins[f];
    for (let i = 0; i < n; i++) {
      const at = start + column[rows[i]] * BIN_STRIDE;
      hist[at] += orderedGrad[i];
      hist[at + 1] += orderedHess[i];
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
