import { describe, expect, it } from 'vitest';
import { binColumns, fitBinning } from '../../../src/Dps.Domain/ml/histogram-binner';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

describe('histogram binning', () => {
  it('gives each distinct value its own bin when there are few, with missing last', () => {
    const values = Float64Array.of(3, 1, 2, 2, NaN, 3);
    const [binning] = fitBinning([{ kind: 'numeric', values }], 255);
    expect(binning).toEqual({ kind: 'numeric', upperBounds: [1.5, 2.5] });
    const binned = binColumns([{ kind: 'numeric', values }], [binning], values.length);
    expect(Array.from(binned.bins[0])).toEqual([2, 0, 1, 1, 3, 2]);
    expect(binned.numBins[0]).toBe(4);
  });

  it('cuts many distinct values into at most maxBins roughly equal-frequency bins', () => {
    const random = createRandom(1);
    const rows = 10_000;
    const values = Float64Array.from({ length: rows }, () => random.next() ** 3);
    const [binning] = fitBinning([{ kind: 'numeric', values }], 16);
    const binned = binColumns([{ kind: 'numeric', values }], [binning], rows);
    const counts = new Array(binned.numBins[0]).fill(0);
    binned.bins[0].forEach((bin) => counts[bin]++);
    expect(binned.numBins[0] - 1).toBeLessThanOrEqual(16);
    expect(binned.numBins[0] - 1).toBeGreaterThanOrEqual(15);
    expect(Math.max(...counts.slice(0, -1))).toBeLessThan((2 * rows) / 16);
  });

  it('gives a heavy value its own bin without starving the rest', () => {
    const random = createRandom(2);
    const values = Float64Array.from({ length: 5000 }, (_, i) => (i % 10 < 9 ? 0 : 1 + random.next()));
    const [binning] = fitBinning([{ kind: 'numeric', values }], 32);
    expect(binning.kind === 'numeric' && binning.upperBounds.length).toBeGreaterThan(20);
    expect(binning.kind === 'numeric' && binning.upperBounds[0]).toBeLessThan(1);
  });

  it('bins frequent categories by count and sends the rest to the "other" bin', () => {
    const values = Int32Array.of(2, 2, 2, 0, 0, 1, -1, 3);
    const [binning] = fitBinning([{ kind: 'categorical', values }], 2);
    expect(binning).toEqual({ kind: 'categorical', binCategories: [2, 0] });
    const binned = binColumns([{ kind: 'categorical', values }], [binning], values.length);
    // Bins: 0 -> code 2, 1 -> code 0, 2 -> other, 3 -> missing.
    expect(Array.from(binned.bins[0])).toEqual([0, 0, 0, 1, 1, 2, 3, 2]);
  });
});
