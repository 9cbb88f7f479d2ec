import { binIndex } from '../data/quantile-bins';

/** PSI levels: below `minor` stable, from `minor` a minor shift, from `major` a major one. */
export interface PsiThresholds {
  minor: number;
  major: number;
}

/** The usual PSI reading: 0.1 and 0.25. */
export const DEFAULT_PSI_THRESHOLDS: PsiThresholds = { minor: 0.1, major: 0.25 };

export type PsiLevel = 'stable' | 'minor' | 'major';

/**
 * Shares of empty bins become this, so a bin seen on one side only adds a large but finite term
 * (Evidently does the same with 0.0001).
 */
export const PSI_EMPTY_SHARE = 1e-4;

/**
 * Population stability index of two histograms over the same bins: sum of (q - p) * ln(q / p) over the
 * bins' shares p (reference) and q (current). Null when either side is empty or the lengths differ.
 */
export function psi(referenceCounts: readonly number[], currentCounts: readonly number[]): number | null {
  if (referenceCounts.length !== currentCounts.length || referenceCounts.length === 0) return null;
  const r = total(referenceCounts);
  const c = total(currentCounts);
  if (r <= 0 || c <= 0) return null;
  let sum = 0;
  for (let i = 0; i < referenceCounts.length; i++) {
    const p = referenceCounts[i] > 0 ? referenceCounts[i] / r : PSI_EMPTY_SHARE;
    const q = currentCounts[i] > 0 ? currentCounts[i] / c : PSI_EMPTY_SHARE;
    sum += (q - p) * Math.log(q / p);
  }
  return sum;
}

/** Reads a PSI value against thresholds. */
export function psiLevel(value: number, thresholds: PsiThresholds = DEFAULT_PSI_THRESHOLDS): PsiLevel {
  if (value >= thresholds.major) return 'major';
  return value >= thresholds.minor ? 'minor' : 'stable';
}

/** Counts numeric values on the profile's quantile edges (values outside go to the first or last bin). */
export function numericBinCounts(edges: readonly number[], values: Iterable<number>): number[] {
  const counts = new Array<number>(Math.max(1, edges.length - 1)).fill(0);
  for (const v of values) counts[binIndex(edges, v)]++;
  return counts;
}

/**
 * Counts categorical values on a category list; the last bin holds every value not on the list
 * (the profile's `other`), so the result has categories.length + 1 bins.
 */
export function categoryBinCounts(categories: readonly string[], values: Iterable<string>): number[] {
  const index = new Map(categories.map((c, i) => [c, i]));
  const counts = new Array<number>(categories.length + 1).fill(0);
  for (const v of values) counts[index.get(v) ?? categories.length]++;
  return counts;
}

function total(counts: readonly number[]): number {
  let s = 0;
  for (const c of counts) s += c;
  return s;
}
