import { BoundColumn } from './feature-schema';

/**
 * How one feature's values map to histogram bins; learned on the training set and stored with the model.
 * Numeric: value bin i holds v <= upperBounds[i] (above the previous bound); the last value bin is unbounded.
 * Categorical: bin i holds category code binCategories[i]; every other code shares the "other" bin.
 * Each feature's last bin holds missing values.
 */
export type FeatureBinning =
  | { kind: 'numeric'; upperBounds: number[] }
  | { kind: 'categorical'; binCategories: number[] };

/** Features as bin indices, column-wise (one byte per value when a feature has at most 256 bins), with each feature's bin count (missing bin last). */
export interface BinnedMatrix {
  rows: number;
  bins: (Uint8Array | Uint16Array)[];
  numBins: Int32Array;
}

/** Largest bin count a feature may have, so that bins fit in 16 bits. */
export const MAX_BINS = 65534;

/** Total number of bins of a feature, including the missing bin (and the "other" bin for categoricals). */
export function binCount(binning: FeatureBinning): number {
  return binning.kind === 'numeric' ? binning.upperBounds.length + 2 : binning.binCategories.length + 2;
}

/** Learns per-feature binning from training columns: quantile bounds for numerics, frequent categories for categoricals. */
export function fitBinning(columns: BoundColumn[], maxBins: number): FeatureBinning[] {
  return columns.map((column) =>
    column.kind === 'numeric'
      ? { kind: 'numeric', upperBounds: quantileBounds(column.values, maxBins) }
      : { kind: 'categorical', binCategories: frequentCategories(column.values, maxBins) },
  );
}

/** Maps columns to bin indices with a fitted binning. */
export function binColumns(columns: BoundColumn[], binnings: FeatureBinning[], rows: number): BinnedMatrix {
  const bins = columns.map((column, f) => {
    const binning = binnings[f];
    const missingBin = binCount(binning) - 1;
    const out = missingBin < 256 ? new Uint8Array(rows) : new Uint16Array(rows);
    if (column.kind === 'numeric' && binning.kind === 'numeric') {
      const bounds = Float64Array.from(binning.upperBounds);
      for (let r = 0; r < rows; r++) {
        const v = column.values[r];
        out[r] = v !== v ? missingBin : firstBoundAtLeast(bounds, v);
      }
    } else if (column.kind === 'categorical' && binning.kind === 'categorical') {
      const lookup = categoryLookup(binning.binCategories);
      const otherBin = missingBin - 1;
      for (let r = 0; r < rows; r++) {
        const code = column.values[r];
        out[r] = code < 0 ? missingBin : code < lookup.length && lookup[code] >= 0 ? lookup[code] : otherBin;
      }
    } else {
      throw new Error('binning kind does not match the column kind');
    }
    return out;
  });
  return { rows, bins, numBins: Int32Array.from(binnings, binCount) };
}

/** Bounds of equal-frequency bins; with few distinct values, one bin per value (LightGBM's greedy scheme). */
function quantileBounds(values: Float64Array, maxBins: number): number[] {
  const sorted = values.filter((v) => v === v).sort();
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] === sorted[i - 1]) counts[counts.length - 1]++;
    else {
      distinct.push(sorted[i]);
      counts.push(1);
    }
  }
  const bounds: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) bounds.push(midpoint(distinct[i], distinct[i + 1]));
    return bounds;
  }
  // Re-aim the target bin size at what is left, so a heavy value (e.g. many zeros) does not starve later bins.
  let remainingRows = sorted.length;
  let remainingBins = maxBins;
  let inBin = 0;
  for (let i = 0; i + 1 < distinct.length && remainingBins > 1; i++) {
    inBin += counts[i];
    const target = remainingRows / remainingBins;
    if (inBin >= target || counts[i + 1] >= target) {
      bounds.push(midpoint(distinct[i], distinct[i + 1]));
      remainingRows -= inBin;
      remainingBins--;
      inBin = 0;
    }
  }
  return bounds;
}

/** Category codes ordered by frequency (ties by code), at most maxBins of them. */
function frequentCategories(codes: Int32Array, maxBins: number): number[] {
  const counts = new Map<number, number>();
  for (const code of codes) if (code >= 0) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, maxBins)
    .map(([code]) => code);
}

function categoryLookup(binCategories: number[]): Int32Array {
  const lookup = new Int32Array(binCategories.reduce((max, code) => Math.max(max, code + 1), 0)).fill(-1);
  binCategories.forEach((code, bin) => (lookup[code] = bin));
  return lookup;
}

// A bound strictly between neighbours, so v <= bound separates them exactly as the bins do.
function midpoint(low: number, high: number): number {
  const mid = low + (high - low) / 2;
  return mid < high ? mid : low;
}

function firstBoundAtLeast(bounds: Float64Array, v: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bounds[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
