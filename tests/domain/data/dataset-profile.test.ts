import { describe, expect, it } from 'vitest';
import { cramersV, mutualInformation } from '../../../src/Dps.Domain/data/association';
import { CategoricalProfile, NumericProfile, createProfiler } from '../../../src/Dps.Domain/data/dataset-profile';
import { binIndex, quantileEdges, scaleCounts } from '../../../src/Dps.Domain/data/quantile-bins';
import { OutputColumn } from '../../../src/Dps.Domain/data/accepted-row';
import { TypedValue } from '../../../src/Dps.Domain/data/contract-types';

const COLUMNS: OutputColumn[] = [
  { name: 'x', type: 'number' },
  { name: 'noise', type: 'integer' },
  { name: 'colour', type: 'category' },
  { name: 'day', type: 'date' },
  { name: 'email', type: 'string', pii: 'hash' },
  { name: 'y', type: 'category' },
];
const LABEL = { column: 'y', task: 'binary' as const, positiveClass: 'yes' };

function rows(n: number): TypedValue[][] {
  return Array.from({ length: n }, (_, i) => {
    const x = i % 100;
    return [i % 50 === 0 ? null : x, (i * 7919) % 13, x >= 50 ? 'red' : i % 2 ? 'blue' : 'green', `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, 'h' + i, x >= 50 ? 'yes' : 'no'];
  });
}

function profile(n: number, sampleSize = 10_000) {
  const profiler = createProfiler('d', COLUMNS, LABEL, { seed: 1, sampleSize });
  for (const r of rows(n)) profiler.add(r);
  return profiler.finish();
}

describe('dataset profile', () => {
  it('computes counts, missing rates, moments, exact quantile bins and top categories', () => {
    const p = profile(1000);
    expect(p.rows).toBe(1000);
    const x = p.columns[0] as NumericProfile;
    expect(x).toMatchObject({ kind: 'numeric', count: 980, missing: 20, missingRate: 0.02, min: 1, max: 99 });
    expect(x.mean).toBeCloseTo(50.0, 0);
    expect(x.bins.exact).toBe(true);
    expect(x.bins.edges).toHaveLength(11);
    expect(x.bins.counts.reduce((a, b) => a + b, 0)).toBe(980);
    expect(Math.max(...x.bins.counts) - Math.min(...x.bins.counts)).toBeLessThanOrEqual(20);
    const colour = p.columns[2] as CategoricalProfile;
    expect(colour.top).toEqual([{ value: 'red', count: 500 }, { value: 'blue', count: 250 }, { value: 'green', count: 250 }]);
    expect(p.columns[3]).toMatchObject({ kind: 'temporal', min: '2024-01-01', max: '2024-01-28' });
    expect(p.columns[4]).toEqual({ name: 'email', type: 'string', kind: 'masked', count: 1000, missing: 0, missingRate: 0 });
    expect(p.label?.classes).toEqual([{ value: 'no', count: 500 }, { value: 'yes', count: 500 }]);
  });

  it('ranks association with the label: informative features above noise', () => {
    const p = profile(2000);
    const [x, noise, colour] = p.columns as [NumericProfile, NumericProfile, CategoricalProfile];
    expect(x.association?.mutualInformation).toBeGreaterThan(0.9);
    expect(x.association?.correlation).toBeGreaterThan(0.8);
    expect(noise.association?.mutualInformation).toBeLessThan(0.05);
    expect(colour.association).toMatchObject({ mutualInformation: 1, cramersV: 1 });
    expect(p.columns[5].association).toBeUndefined();
  });

  it('estimates bins from a seeded sample beyond sampleSize, reproducibly', () => {
    const a = profile(20_000, 500).columns[0] as NumericProfile;
    const b = profile(20_000, 500).columns[0] as NumericProfile;
    expect(a.bins).toEqual(b.bins);
    expect(a.bins.exact).toBe(false);
    expect(a.bins.counts.reduce((s, c) => s + c, 0)).toBe(a.count);
  });

  it('caps distinct values, putting later ones in other', () => {
    const profiler = createProfiler('d', [{ name: 's', type: 'string' }], undefined, { seed: 1, maxDistinct: 10, topK: 3 });
    for (let i = 0; i < 100; i++) profiler.add([`v${i % 20}`]);
    const s = profiler.finish().columns[0] as CategoricalProfile;
    expect(s).toMatchObject({ distinct: 10, distinctCapped: true, other: 85 });
    expect(s.association).toBeUndefined();
  });
});

describe('bins and association measures', () => {
  it('merges equal quantile edges and bins values by edge', () => {
    const edges = quantileEdges(new Float64Array([1, 1, 1, 1, 2, 3]), 4);
    expect(edges).toEqual([1, 2, 3]);
    expect([0, 1, 1.5, 2, 3, 9].map((v) => binIndex(edges, v))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(binIndex([5, 5], 7)).toBe(0);
  });

  it('scales sample counts to the total exactly', () => {
    expect(scaleCounts([1, 1, 1], 10)).toEqual([4, 3, 3]);
    expect(scaleCounts([2, 0], 2)).toEqual([2, 0]);
  });

  it('measures independence as 0 and dependence as 1', () => {
    expect(mutualInformation([[25, 25], [25, 25]])).toBe(0);
    expect(mutualInformation([[50, 0], [0, 50]])).toBe(1);
    expect(cramersV([[50, 0], [0, 50]])).toBe(1);
    expect(cramersV([[10, 10], [20, 20]])).toBe(0);
  });
});
