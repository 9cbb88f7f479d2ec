import { describe, expect, it } from 'vitest';
import { countSorted, createSlotIndex, emptyGridCounts, slotIn } from '../../../src/Dps.Domain/drift/numeric-grid';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

/** The slot by definition: 2k + 1 on edges[k], else 2k with k the number of edges below the value. */
const slotByScan = (edges: number[], v: number) => {
  const below = edges.filter((e) => e < v).length;
  return edges[below] === v ? 2 * below + 1 : 2 * below;
};

describe('slots', () => {
  const r = createRandom(5).next;
  const grids = [
    [],
    [3],
    [1, 2, 3, 4],
    [0, 0.001, 0.002, 5, 1e6],
    Array.from({ length: 200 }, (_, i) => Math.exp(i / 20)),
  ];

  it.each(grids.map((g) => [g.length, g] as const))('the lookup table agrees with a scan over %i edges', (_, edges) => {
    const index = createSlotIndex(edges);
    const probes = [...edges, ...edges.map((e) => e + 1e-9), ...edges.map((e) => e - 1e-9), -Infinity, Infinity, -1e9, 1e9];
    for (let i = 0; i < 2000; i++) probes.push((r() - 0.2) * (edges[edges.length - 1] ?? 10) * 1.5);
    for (const v of probes) if (slotIn(index, v) !== slotByScan(edges, v)) throw new Error(`slot of ${v}: ${slotIn(index, v)}, expected ${slotByScan(edges, v)}`);
    expect(probes.length).toBeGreaterThan(2000);
  });

  it('counts sorted values in one pass with sums for open slots only', () => {
    const grid = emptyGridCounts(2);
    countSorted(grid, [1, 3], [0, 1, 1, 2, 2.5, 3, 7]);
    expect(grid).toEqual({ counts: [1, 2, 2, 1, 1], sums: [0, 4.5, 7] });
  });
});
