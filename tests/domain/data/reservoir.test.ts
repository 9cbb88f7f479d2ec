import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { Reservoir } from '../../../src/Dps.Domain/data/reservoir';

describe('reservoir', () => {
  it('allocates for the values offered, not for its capacity', () => {
    const reservoir = new Reservoir(10_000, createRandom(1).next);
    expect(reservoir.allocated).toBeLessThanOrEqual(16);
    for (let i = 0; i < 3; i++) reservoir.offer(i, i % 2);
    expect(reservoir.allocated).toBeLessThanOrEqual(16);
    for (let i = 3; i < 100; i++) reservoir.offer(i, i % 2);
    expect(reservoir.allocated).toBeLessThanOrEqual(200);
    expect([...reservoir.values.slice(0, reservoir.size)]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect([...reservoir.tags.slice(0, reservoir.size)]).toEqual(Array.from({ length: 100 }, (_, i) => i % 2));
  });

  it('never holds more than its capacity, and keeps a uniform sample of a longer stream', () => {
    const reservoir = new Reservoir(1_000, createRandom(7).next);
    const offered = 100_000;
    for (let i = 0; i < offered; i++) reservoir.offer(i, -i);
    expect(reservoir.allocated).toBe(1_000);
    expect(reservoir.size).toBe(1_000);
    expect(reservoir.offered).toBe(offered);
    const kept = [...reservoir.values.slice(0, reservoir.size)];
    expect(new Set(kept).size).toBe(1_000);
    kept.forEach((v, i) => expect(reservoir.tags[i]).toBe(-v));
    // A uniform sample of 0..99,999: each tenth of the range holds about a tenth of it (100 +- 5 sigma).
    const tenths = Array.from({ length: 10 }, (_, t) => kept.filter((v) => Math.floor(v / 10_000) === t).length);
    for (const n of tenths) expect(Math.abs(n - 100)).toBeLessThan(5 * Math.sqrt(90));
  });

  it('holds nothing with capacity 0', () => {
    const reservoir = new Reservoir(0, createRandom(1).next);
    for (let i = 0; i < 10; i++) reservoir.offer(i, 0);
    expect([reservoir.size, reservoir.allocated, reservoir.offered]).toEqual([0, 0, 10]);
  });
});
