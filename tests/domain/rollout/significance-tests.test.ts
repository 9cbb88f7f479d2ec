import { describe, expect, it } from 'vitest';
import { meanDifferenceInterval, normalCdf, normalTwoSidedCritical, proportionDifferenceInterval, regularizedBeta, studentTwoSidedCritical, studentTwoSidedP, twoProportionZTest, welchTTest } from '../../../src/Dps.Domain/rollout/significance-tests';

// Reference values computed with scipy.stats 1.x (norm, t, ttest_ind_from_stats(equal_var=False)).
describe('significance tests against scipy', () => {
  it('normal and Student t tails', () => {
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 7);
    expect(normalCdf(1.2)).toBeCloseTo(0.8849303297782918, 7);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(studentTwoSidedP(2.5, 3)).toBeCloseTo(0.08770664700806555, 9);
    expect(studentTwoSidedP(0.3, 50)).toBeCloseTo(0.7654208802553032, 9);
    expect(studentTwoSidedP(-2.5, 3)).toBeCloseTo(studentTwoSidedP(2.5, 3), 12);
  });

  it('a t with many degrees of freedom approaches the normal', () => {
    expect(studentTwoSidedP(1.96, 1e6)).toBeCloseTo(2 * normalCdf(-1.96), 5);
  });

  it('regularized beta meets its edges and symmetry', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
    expect(regularizedBeta(0.3, 2, 3) + regularizedBeta(0.7, 3, 2)).toBeCloseTo(1, 12);
    // I_x(1, 1) = x.
    expect(regularizedBeta(0.37, 1, 1)).toBeCloseTo(0.37, 12);
  });

  it('two-proportion z-test: 45/100 against 60/100', () => {
    const r = twoProportionZTest(45, 100, 60, 100);
    expect(r.statistic).toBeCloseTo(-2.1239769762143657, 9);
    expect(r.pValue).toBeCloseTo(0.033672068856345855, 6);
    expect(twoProportionZTest(0, 0, 3, 10).pValue).toBeNaN();
    expect(twoProportionZTest(10, 10, 10, 10).pValue).toBeNaN();
  });

  it("Welch's t-test from summaries", () => {
    const r = welchTTest({ n: 30, mean: 5, variance: 4 }, { n: 20, mean: 6.2, variance: 9 });
    expect(r.statistic).toBeCloseTo(-1.5711688096991452, 9);
    expect(r.df).toBeCloseTo(30.19076799212775, 9);
    expect(r.pValue).toBeCloseTo(0.12656615024162068, 7);
    expect(welchTTest({ n: 1, mean: 5, variance: 0 }, { n: 20, mean: 6, variance: 1 }).pValue).toBeNaN();
  });
});

describe('intervals against scipy', () => {
  it('critical values of the normal and Student t', () => {
    // The normal tail is accurate to about 1e-7 (the erfc fit), the t tail to about 1e-12.
    expect(normalTwoSidedCritical(0.05)).toBeCloseTo(1.959963984540054, 6);
    expect(studentTwoSidedCritical(0.05, 10)).toBeCloseTo(2.228138851986274, 8);
    expect(studentTwoSidedCritical(0.025, 30.19)).toBeCloseTo(2.3587822130244565, 6);
  });

  it('Wald interval of a difference of proportions and Welch interval of a difference of means', () => {
    const [lo, hi] = proportionDifferenceInterval(60, 100, 45, 100, 0.05);
    const half = normalTwoSidedCritical(0.05) * Math.sqrt((0.6 * 0.4) / 100 + (0.45 * 0.55) / 100);
    expect(lo).toBeCloseTo(0.15 - half, 8);
    expect(hi).toBeCloseTo(0.15 + half, 8);
    const [a, b] = meanDifferenceInterval({ n: 30, mean: 5, variance: 4 }, { n: 20, mean: 6.2, variance: 9 }, 0.05);
    // scipy: t.ppf(0.975, 30.19076799212775) * sqrt(4/30 + 9/20)
    const w = 2.041731455875618 * Math.sqrt(4 / 30 + 9 / 20);
    expect(a).toBeCloseTo(-1.2 - w, 6);
    expect(b).toBeCloseTo(-1.2 + w, 6);
  });
});
