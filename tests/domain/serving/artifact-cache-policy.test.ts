import { describe, expect, it } from 'vitest';
import { emptyArtifactCache, forgetArtifact, useArtifact } from '../../../src/Dps.Domain/serving/artifact-cache-policy';

describe('artifact cache policy', () => {
  it('loads once per key, evicts the least recently used beyond capacity and counts hits, misses and evictions', () => {
    let state = emptyArtifactCache(2);
    const decisions = ['m@1', 'm@2', 'm@1', 'm@3', 'm@2'].map((key) => {
      const d = useArtifact(state, key);
      state = d.state;
      return [d.hit, d.evicted];
    });
    // m@1 was used after m@2, so m@3 evicts m@2; then m@2 comes back and evicts m@1.
    expect(decisions).toEqual([[false, []], [false, []], [true, []], [false, ['m@2']], [false, ['m@1']]]);
    expect(state).toEqual({ capacity: 2, keys: ['m@3', 'm@2'], hits: 1, misses: 4, evictions: 2 });
  });

  it('forgets a key without counting an eviction and never has a capacity below one', () => {
    const state = useArtifact(emptyArtifactCache(3), 'm@1').state;
    expect(forgetArtifact(state, 'm@1')).toMatchObject({ keys: [], evictions: 0 });
    expect(emptyArtifactCache(0).capacity).toBe(1);
  });
});
