import { describe, expect, it } from 'vitest';
import { categoryBinCounts, numericBinCounts, psi, psiLevel } from '../../../src/Dps.Domain/drift/psi';

describe('psi', () => {
  it('is zero for identical shares, whatever the totals', () => {
    expect(psi([10, 20, 30], [1, 2, 3])).toBeCloseTo(0, 12);
  });

  it('sums (q - p) ln(q / p) over the shares', () => {
    const p = [0.5, 0.5];
    const q = [0.25, 0.75];
    const expected = (q[0] - p[0]) * Math.log(q[0] / p[0]) + (q[1] - p[1]) * Math.log(q[1] / p[1]);
    expect(psi([50, 50], [25, 75])).toBeCloseTo(expected, 12);
  });

  it('gives an empty bin a small share instead of infinity', () => {
    const value = psi([10, 0], [5, 5]);
    expect(value).not.toBeNull();
    expect(Number.isFinite(value)).toBe(true);
    expect(value!).toBeGreaterThan(1);
  });

  it('is null for empty sides or different bins', () => {
    expect(psi([0, 0], [1, 1])).toBeNull();
    expect(psi([1, 1], [1])).toBeNull();
  });

  it('reads levels at 0.1 and 0.25', () => {
    expect(psiLevel(0.05)).toBe('stable');
    expect(psiLevel(0.1)).toBe('minor');
    expect(psiLevel(0.3)).toBe('major');
    expect(psiLevel(0.3, { minor: 0.5, major: 1 })).toBe('stable');
  });
});

describe('bin helpers', () => {
  it('counts numbers on quantile edges, outside values in the end bins', () => {
    expect(numericBinCounts([0, 1, 2, 3], [-5, 0, 0.5, 1, 2.5, 3, 9])).toEqual([3, 1, 3]);
  });

  it('counts categories with an other bin last', () => {
    expect(categoryBinCounts(['a', 'b'], ['a', 'c', 'b', 'a', 'z'])).toEqual([2, 1, 2]);
  });
});
