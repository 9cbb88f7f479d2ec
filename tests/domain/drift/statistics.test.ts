import { describe, expect, it } from 'vitest';
import { chiSquare } from '../../../src/Dps.Domain/drift/chi-square';
import { jensenShannonDistance } from '../../../src/Dps.Domain/drift/jensen-shannon';
import { kolmogorovSf } from '../../../src/Dps.Domain/drift/kolmogorov-distribution';
import { ks2Samp, ksPValue } from '../../../src/Dps.Domain/drift/ks-test';
import { wassersteinDistance } from '../../../src/Dps.Domain/drift/wasserstein';
import { fixtures, formulaSample, sorted } from './scipy-fixtures';

const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-6);

describe('agreement with scipy to 1e-6 on fixed fixtures', () => {
  it.each(fixtures.ks.map((c) => [c.name, c] as const))('ks_2samp: %s', (_, c) => {
    const result = ks2Samp(sorted(c.a), sorted(c.b), c.method);
    close(result.statistic, c.statistic);
    close(result.pValue, c.pValue);
  });

  it.each(fixtures.ksFormula.map((c) => [c.name, c] as const))('ks_2samp in auto mode above 10,000 values: %s', (_, c) => {
    const result = ks2Samp(sorted(formulaSample(c.a)), sorted(formulaSample(c.b)));
    expect(result.method).toBe('asymp');
    close(result.statistic, c.statistic);
    close(result.pValue, c.pValue);
  });

  it('kstwo.sf over sizes and both tails', () => {
    for (const c of fixtures.kstwo) {
      const sf = kolmogorovSf(c.n, c.x);
      if (Math.abs(sf - c.sf) > 1e-6) throw new Error(`kstwo.sf(${c.x}, ${c.n}) = ${sf}, scipy ${c.sf}`);
    }
    expect(fixtures.kstwo.length).toBeGreaterThan(50);
  });

  it('chisquare', () => {
    for (const c of fixtures.chisquare) {
      const result = chiSquare(c.observed, c.expected);
      close(result.statistic, c.statistic);
      close(result.pValue, c.pValue);
    }
  });

  it('wasserstein_distance', () => {
    for (const c of fixtures.wasserstein) close(wassersteinDistance(sorted(c.a), sorted(c.b)), c.distance);
  });

  it('jensenshannon', () => {
    for (const c of fixtures.jensenshannon) close(jensenShannonDistance(c.p, c.q), c.distance);
  });
});

describe('ks p-value modes', () => {
  it('auto is exact up to 10,000 values per sample and asymptotic above', () => {
    expect(ksPValue(0.1, 10_000, 500).method).toBe('exact');
    expect(ksPValue(0.1, 10_001, 500).method).toBe('asymp');
  });

  it('a zero statistic has p-value 1', () => {
    expect(ks2Samp(sorted([1, 2, 3]), sorted([3, 2, 1])).pValue).toBe(1);
  });
});

describe('chiSquare edge cases', () => {
  it('an observed category expected 0 is certain drift', () => {
    expect(chiSquare([1, 5], [0, 6])).toEqual({ statistic: Infinity, pValue: 0 });
  });
});
