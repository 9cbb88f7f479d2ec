/** Artifacts a serving instance keeps loaded by default: a champion, a challenger and a few pinned versions. */
export const DEFAULT_ARTIFACT_CACHE_CAPACITY = 8;

/** Which artifacts an instance keeps, least recently used first, and how the cache has done. */
export interface ArtifactCacheState {
  capacity: number;
  /** Keys (e.g. `model@version`), least recently used first. */
  keys: string[];
  hits: number;
  misses: number;
  evictions: number;
}

/** What a lookup means for the holder: load on a miss, and drop the evicted keys' artifacts. */
export interface CacheDecision {
  state: ArtifactCacheState;
  hit: boolean;
  evicted: string[];
}

/** An empty cache of `capacity` artifacts (at least 1). */
export function emptyArtifactCache(capacity = DEFAULT_ARTIFACT_CACHE_CAPACITY): ArtifactCacheState {
  return { capacity: Math.max(1, Math.floor(capacity)), keys: [], hits: 0, misses: 0, evictions: 0 };
}

/** Records a use of `key`: a hit moves it to most recent; a miss adds it and evicts the least recently used beyond capacity. */
export function useArtifact(state: ArtifactCacheState, key: string): CacheDecision {
  const at = state.keys.indexOf(key);
  if (at >= 0) {
    const keys = [...state.keys.slice(0, at), ...state.keys.slice(at + 1), key];
    return { state: { ...state, keys, hits: state.hits + 1 }, hit: true, evicted: [] };
  }
  const keys = [...state.keys, key];
  const evicted = keys.splice(0, Math.max(0, keys.length - state.capacity));
  return { state: { ...state, keys, misses: state.misses + 1, evictions: state.evictions + evicted.length }, hit: false, evicted };
}

/** Forgets a key (a load failed, or its version was withdrawn) without counting an eviction. */
export function forgetArtifact(state: ArtifactCacheState, key: string): ArtifactCacheState {
  return { ...state, keys: state.keys.filter((k) => k !== key) };
}
