import type { DatasetProfile } from '../data/dataset-profile';
import { quantileEdges } from '../data/quantile-bins';
import { GridCounts, countSorted, distinctSorted, emptyGridCounts, unionEdges } from './numeric-grid';

/** A numeric feature of the reference: its values on a grid (see numeric-grid.ts), moments and PSI edges. */
export interface NumericFeatureReference extends GridCounts {
  name: string;
  kind: 'numeric';
  rows: number;
  missing: number;
  mean: number;
  /** Population standard deviation (numpy's std), which normalises the Wasserstein distance. */
  std: number;
  /** True when every reference value is an edge: KS from the grid is then exact. */
  exactEdges: boolean;
  edges: number[];
  /** PSI bins: the profile's quantile edges (binIndex semantics); always a subset of `edges`. */
  psiEdges: number[];
}

/** A categorical feature of the reference: counts per value; values beyond the cap are summed in `other`. */
export interface CategoricalFeatureReference {
  name: string;
  kind: 'categorical';
  rows: number;
  missing: number;
  counts: Record<string, number>;
  other: number;
  /** PSI bins: these categories plus one for everything else. */
  psiCategories: string[];
}

export type FeatureReference = NumericFeatureReference | CategoricalFeatureReference;

/** What drift is measured against: the training set's features, summarised once. */
export interface DriftReference {
  referenceVersion: 1;
  /** What the reference was built from (e.g. `gold/churn/training/v3`), echoed in every report. */
  source: string;
  rows: number;
  features: FeatureReference[];
}

/** A reference column's values; null (and NaN or an infinite number) is missing. */
export type ReferenceColumn =
  | { name: string; kind: 'numeric'; values: ArrayLike<number | null> }
  | { name: string; kind: 'categorical'; values: ArrayLike<string | null> };

/** Reference building settings. */
export interface ReferenceOptions {
  /** Quantile intervals of the grid when values are too many to keep (default 200: KS within 0.005). */
  gridBins?: number;
  /** Every distinct value becomes an edge when there are at most this many (default 256), or at most exactRows rows. */
  exactDistinct?: number;
  /** References up to this many rows keep every value as an edge (default 1000, Evidently's test limit). */
  exactRows?: number;
  /** Categories kept per feature (default 10,000, the most frequent); the rest are summed in `other`. */
  maxCategories?: number;
  /** PSI bins per numeric feature when no profile gives them (default 10) and categories listed (default 20). */
  psiBins?: number;
  psiCategories?: number;
  /** The dataset profile of the same rows: its quantile edges and top categories become the PSI bins. */
  profile?: DatasetProfile;
  /** Extra edges per feature (exact comparisons put the current values here). */
  extraEdges?: Record<string, readonly number[]>;
}

/** Summarises reference columns (all of equal length) into a drift reference. */
export function buildDriftReference(source: string, columns: ReferenceColumn[], options: ReferenceOptions = {}): DriftReference {
  const rows = columns.length === 0 ? 0 : columns[0].values.length;
  const features = columns.map((c) => (c.kind === 'numeric' ? numericReference(c.name, c.values, options) : categoricalReference(c.name, c.values, options)));
  return { referenceVersion: 1, source, rows, features };
}

function numericReference(name: string, values: ArrayLike<number | null>, options: ReferenceOptions): NumericFeatureReference {
  const sorted = presentNumbers(values).sort();
  const n = sorted.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean = n === 0 ? 0 : mean / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  const exactEdges = n <= (options.exactRows ?? 1000) || countDistinct(sorted, options.exactDistinct ?? 256) <= (options.exactDistinct ?? 256);
  const profiled = options.profile?.columns.find((c) => c.name === name);
  const psiEdges = profiled?.kind === 'numeric' && profiled.bins.edges.length > 0 ? profiled.bins.edges : quantileEdges(sorted, options.psiBins ?? 10);
  let edges = exactEdges ? distinctSorted(sorted) : unionEdges(quantileEdges(sorted, options.gridBins ?? 200), psiEdges);
  edges = unionEdges(unionEdges(edges, psiEdges), options.extraEdges?.[name] ?? []);
  const grid = emptyGridCounts(edges.length);
  countSorted(grid, edges, sorted);
  return { name, kind: 'numeric', rows: n, missing: values.length - n, mean, std: n === 0 ? 0 : Math.sqrt(ss / n), exactEdges, edges, psiEdges, ...grid };
}

function categoricalReference(name: string, values: ArrayLike<string | null>, options: ReferenceOptions): CategoricalFeatureReference {
  const all = new Map<string, number>();
  let rows = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    rows++;
    all.set(v, (all.get(v) ?? 0) + 1);
  }
  const ranked = [...all.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const kept = ranked.slice(0, options.maxCategories ?? 10_000);
  const profiled = options.profile?.columns.find((c) => c.name === name);
  const psiCategories = profiled?.kind === 'categorical' ? profiled.top.map((t) => t.value) : kept.slice(0, options.psiCategories ?? 20).map(([v]) => v);
  return {
    name,
    kind: 'categorical',
    rows,
    missing: values.length - rows,
    counts: Object.fromEntries(kept),
    other: rows - kept.reduce((s, [, c]) => s + c, 0),
    psiCategories,
  };
}

/** The numbers of a column, missing values left out. */
export function presentNumbers(values: ArrayLike<number | null>): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** Distinct values of an ascending array, counting stops once above `limit`. */
function countDistinct(sorted: ArrayLike<number>, limit: number): number {
  let count = 0;
  for (let i = 0; i < sorted.length && count <= limit; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) count++;
  return count;
}
