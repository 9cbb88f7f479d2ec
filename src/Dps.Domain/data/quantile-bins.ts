/**
 * Numeric bins: `edges` ascending, `counts[i]` rows in [edges[i], edges[i+1]) (the last bin also holds
 * its upper edge). Drift monitoring bins new data with binIndex on the same edges to compare shares (PSI).
 */
export interface NumericBins {
  edges: number[];
  counts: number[];
  /** False when counts were scaled from a sample rather than counted over every row. */
  exact: boolean;
}

/** Edges at the 0, 1/k, ..., 1 quantiles of sorted values, equal edges merged (so discrete data gets fewer bins). */
export function quantileEdges(sorted: Float64Array, bins: number): number[] {
  if (sorted.length === 0) return [];
  const edges: number[] = [];
  for (let k = 0; k <= bins; k++) {
    const edge = sorted[Math.min(sorted.length - 1, Math.floor((k / bins) * (sorted.length - 1) + 0.5))];
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  if (edges.length === 1) edges.push(edges[0]);
  return edges;
}

/** The bin of a value for these edges; values outside the edges fall in the first or last bin. */
export function binIndex(edges: readonly number[], value: number): number {
  const last = edges.length - 2;
  if (last <= 0 || value < edges[1]) return 0;
  if (value >= edges[last]) return last;
  let lo = 1;
  let hi = last;
  // Invariant: edges[lo] <= value < edges[hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (value >= edges[mid]) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** Scales sample counts to a total, keeping the sum exact (largest remainders get the leftover units). */
export function scaleCounts(counts: number[], total: number): number[] {
  const sampled = counts.reduce((a, b) => a + b, 0);
  if (sampled === 0 || sampled === total) return [...counts];
  const raw = counts.map((c) => (c * total) / sampled);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i]).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]++;
  }
  return out;
}
