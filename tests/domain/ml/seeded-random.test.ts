import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, sampleIndices } from '../../../src/Dps.Domain/ml/seeded-random';

describe('seeded random', () => {
  const draw = (seed: number): number[] => {
    const random = createRandom(seed);
    return Array.from({ length: 5 }, () => random.next());
  };

  it('repeats for a seed and differs between seeds', () => {
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('derives distinct sub-stream seeds', () => {
    expect(new Set([deriveSeed(1, 0), deriveSeed(1, 1), deriveSeed(2, 0)]).size).toBe(3);
  });

  it('samples distinct ascending indices', () => {
    const sample = Array.from(sampleIndices(100, 30, createRandom(1)));
    expect(new Set(sample).size).toBe(30);
    expect(sample).toEqual([...sample].sort((a, b) => a - b));
    expect(sample.every((i) => i >= 0 && i < 100)).toBe(true);
  });
});
