/**
 * Numeric values on a grid of ascending edges, in 2E + 1 slots: slot 2k is the open interval
 * (edges[k-1], edges[k]) (unbounded at both ends), slot 2k + 1 holds values equal to edges[k]. Counts
 * per slot and sums per open slot make both CDFs known exactly at every edge and the integral of each
 * CDF exact over every interval, which is what KS and Wasserstein need from a histogram.
 */
export interface GridCounts {
  /** 2 * edges.length + 1 counts. */
  counts: number[];
  /** Sum of the values in open slot 2k at index k: edges.length + 1 sums. */
  sums: number[];
}

/** Empty counts for a grid of this many edges. */
export function emptyGridCounts(edgeCount: number): GridCounts {
  return { counts: new Array<number>(2 * edgeCount + 1).fill(0), sums: new Array<number>(edgeCount + 1).fill(0) };
}

/** Adds ascending values to grid counts in one merge pass. */
export function countSorted(grid: GridCounts, edges: ArrayLike<number>, sorted: ArrayLike<number>): void {
  let k = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    while (k < edges.length && edges[k] < v) k++;
    if (k < edges.length && edges[k] === v) grid.counts[2 * k + 1]++;
    else {
      grid.counts[2 * k]++;
      grid.sums[k] += v;
    }
  }
}

/** The distinct values of an ascending array. */
export function distinctSorted(sorted: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) out.push(sorted[i]);
  return out;
}

/** Ascending union of two ascending edge lists, without duplicates. */
export function unionEdges(a: readonly number[], b: readonly number[]): number[] {
  return distinctSorted([...a, ...b].sort((x, y) => x - y));
}

/**
 * A lookup table over the edges' range that narrows each search to the few edges sharing the value's
 * bucket; bucketOf is monotone, so the answer always lies in that bucket's range.
 */
export interface SlotIndex {
  edges: Float64Array;
  /** first[b]: how many edges fall in buckets below b (buckets + 2 entries). */
  first: Int32Array;
  low: number;
  scale: number;
  buckets: number;
}

/** Builds the lookup table for a grid (about 4 buckets per edge). */
export function createSlotIndex(edges: readonly number[]): SlotIndex {
  const E = edges.length;
  const buckets = Math.max(1, 4 * E);
  const low = E === 0 ? 0 : edges[0];
  const range = E === 0 ? 0 : edges[E - 1] - low;
  const scale = range > 0 && Number.isFinite(buckets / range) ? buckets / range : 0;
  const index: SlotIndex = { edges: Float64Array.from(edges), first: new Int32Array(buckets + 2), low, scale, buckets };
  const counts = new Int32Array(buckets + 2);
  for (const e of edges) counts[bucketOf(index, e) + 1]++;
  for (let b = 1; b < buckets + 2; b++) index.first[b] = index.first[b - 1] + counts[b];
  return index;
}

function bucketOf(index: SlotIndex, value: number): number {
  const b = Math.floor((value - index.low) * index.scale);
  if (!(b >= 0)) return 0;
  return b > index.buckets ? index.buckets : b;
}

/** The slot of a value: 2k + 1 when it equals edges[k], else 2k (the open interval below edges[k]); usually one or two comparisons. */
export function slotIn(index: SlotIndex, value: number): number {
  const edges = index.edges;
  const b = bucketOf(index, value);
  let lo = index.first[b];
  let hi = index.first[b + 1];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo < edges.length && edges[lo] === value ? 2 * lo + 1 : 2 * lo;
}
