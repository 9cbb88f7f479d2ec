import { logGamma } from '../drift/special-functions';

/** A two-sided test: the statistic, its p-value and, for t tests, the degrees of freedom. */
export interface TestResult {
  statistic: number;
  pValue: number;
  df?: number;
}

/** Complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-14) break;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b). */
export function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast on this side of the mean; use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) on the other.
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** Two-sided p-value of Student's t with `df` degrees of freedom: P(|T| >= |t|). */
export function studentTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** Two-proportion z-test (pooled) of successesA/nA against successesB/nB; NaN when a side is empty or the pool is all one outcome. */
export function twoProportionZTest(successesA: number, nA: number, successesB: number, nB: number): TestResult {
  if (nA <= 0 || nB <= 0) return { statistic: NaN, pValue: NaN };
  const pooled = (successesA + successesB) / (nA + nB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB));
  if (se === 0) return { statistic: NaN, pValue: NaN };
  const z = (successesA / nA - successesB / nB) / se;
  return { statistic: z, pValue: 2 * normalCdf(-Math.abs(z)) };
}

/** Summary of a sample for Welch's test. */
export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (n - 1 in the denominator). */
  variance: number;
}

/** Welch's unequal-variance t-test of mean A against mean B, with Welch–Satterthwaite degrees of freedom. */
export function welchTTest(a: SampleSummary, b: SampleSummary): TestResult {
  if (a.n < 2 || b.n < 2) return { statistic: NaN, pValue: NaN };
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  if (va + vb === 0) return { statistic: NaN, pValue: NaN };
  const t = (a.mean - b.mean) / Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return { statistic: t, pValue: studentTwoSidedP(t, df), df };
}

/** Bisection of an increasing function to `target` on [lo, hi] (quantiles of the distributions above). */
function invert(f: (x: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The z with P(|Z| >= z) = p for a standard normal: the half-width factor of a two-sided 1 - p interval. */
export function normalTwoSidedCritical(p: number): number {
  return invert((z) => 1 - 2 * normalCdf(-z), 1 - p, 0, 40);
}

/** The t with P(|T| >= t) = p for Student's t with `df` degrees of freedom. */
export function studentTwoSidedCritical(p: number, df: number): number {
  return invert((t) => 1 - studentTwoSidedP(t, df), 1 - p, 0, 1e6);
}

/** Two-sided (1 - level) Wald interval of the difference of two proportions A - B (unpooled standard error). */
export function proportionDifferenceInterval(successesA: number, nA: number, successesB: number, nB: number, level: number): [number, number] {
  if (nA <= 0 || nB <= 0) return [NaN, NaN];
  const a = successesA / nA;
  const b = successesB / nB;
  const half = normalTwoSidedCritical(level) * Math.sqrt((a * (1 - a)) / nA + (b * (1 - b)) / nB);
  return [a - b - half, a - b + half];
}

/** Two-sided (1 - level) Welch interval of the difference of two means A - B. */
export function meanDifferenceInterval(a: SampleSummary, b: SampleSummary, level: number): [number, number] {
  const test = welchTTest(a, b);
  if (test.df === undefined || !Number.isFinite(test.df)) return [NaN, NaN];
  const half = studentTwoSidedCritical(level, test.df) * Math.sqrt(a.variance / a.n + b.variance / b.n);
  return [a.mean - b.mean - half, a.mean - b.mean + half];
}
