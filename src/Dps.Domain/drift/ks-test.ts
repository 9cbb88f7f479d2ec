import type { TestResult } from './chi-square';
import { kolmogorovSf } from './kolmogorov-distribution';
import { roundHalfEven } from './special-functions';

/** How ks_2samp computes the p-value: 'auto' is exact when both samples have at most 10,000 values. */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** The two-sample KS result, with the p-value mode actually used. */
export interface KsResult extends TestResult {
  method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10_000;

/** The largest distance between the two samples' empirical CDFs (samples sorted ascending). */
export function ksStatistic(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>): number {
  const na = sortedA.length;
  const nb = sortedB.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < na && j < nb) {
    const x = Math.min(sortedA[i], sortedB[j]);
    while (i < na && sortedA[i] === x) i++;
    while (j < nb && sortedB[j] === x) j++;
    const diff = Math.abs(i / na - j / nb);
    if (diff > d) d = diff;
  }
  return d;
}

/** Two-sample two-sided Kolmogorov-Smirnov test on sorted samples, as scipy.stats.ks_2samp. */
export function ks2Samp(sortedA: ArrayLike<number>, sortedB: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  return ksPValue(ksStatistic(sortedA, sortedB), sortedA.length, sortedB.length, method);
}

/**
 * The p-value of a two-sample KS statistic d for sample sizes n1 and n2, as ks_2samp computes it:
 * exact paths count (Hodges; Viehmann's stable recursion) or kstwo's survival function at
 * round(n1 n2 / (n1 + n2)). In exact mode the statistic is snapped to a multiple of 1 / lcm(n1, n2).
 */
export function ksPValue(d: number, n1: number, n2: number, method: KsMethod = 'auto'): KsResult {
  const g = gcd(n1, n2);
  let mode: 'exact' | 'asymp' = method === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : method;
  if (mode === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';
  if (mode === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    const snapped = h / lcm;
    if (h === 0) return { statistic: snapped, pValue: 1, method: 'exact' };
    const p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInside(n1, n2, g, h);
    if (Number.isFinite(p) && p >= 0 && p <= 1) return { statistic: snapped, pValue: p, method: 'exact' };
    d = snapped;
  }
  const [m, n] = n1 >= n2 ? [n1, n2] : [n2, n1];
  const en = (m * n) / (m + n);
  return { statistic: d, pValue: kolmogorovSf(roundHalfEven(en), d), method: 'asymp' };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Proportion of paths passing outside x - y = +/-h for equal sizes n (Horner-like alternating sum). */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let p1 = 1;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    p = p1 * (1 - p);
  }
  return 2 * p;
}

/** Proportion of lattice paths (0,0)->(m,n) that leave |x/m - y/n| < h/lcm, computed as 1 - p directly. */
function outerProbInside(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const A = new Float64Array(Math.min(2 * maxj + 2, n + 1)).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    let val = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}
