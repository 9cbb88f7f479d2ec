import { chiSquareSf } from './special-functions';

/** A test statistic and its p-value. */
export interface TestResult {
  statistic: number;
  pValue: number;
}

/**
 * Pearson's chi-squared goodness-of-fit test, as scipy.stats.chisquare(observed, expected): the
 * statistic sums (o - e)^2 / e, the p-value has k - 1 degrees of freedom. A category expected 0 but
 * observed makes the statistic infinite and the p-value 0; one neither expected nor observed is skipped.
 */
export function chiSquare(observed: readonly number[], expected: readonly number[]): TestResult {
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const o = observed[i];
    const e = expected[i];
    if (e === 0) {
      if (o !== 0) statistic = Infinity;
      continue;
    }
    statistic += ((o - e) * (o - e)) / e;
  }
  const df = observed.length - 1;
  if (df < 1) return { statistic, pValue: 1 };
  return { statistic, pValue: Number.isFinite(statistic) ? chiSquareSf(statistic, df) : 0 };
}
