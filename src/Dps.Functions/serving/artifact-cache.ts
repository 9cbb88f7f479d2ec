import { ArtifactCacheState, emptyArtifactCache, forgetArtifact, useArtifact } from '../../Dps.Domain/serving/artifact-cache-policy';

/**
 * A per-instance LRU of loaded artifacts, following the Domain's cache policy: each version is loaded
 * once (concurrent requests share the load), a failed load is forgotten so the next request retries.
 */
export class ArtifactCache<T> {
  private state: ArtifactCacheState;
  private readonly loaded = new Map<string, Promise<T>>();

  constructor(capacity: number, private readonly load: (key: string) => Promise<T>) {
    this.state = emptyArtifactCache(capacity);
  }

  /** The artifact under `key`, loading it on a miss. */
  get(key: string): Promise<T> {
    const decision = useArtifact(this.state, key);
    this.state = decision.state;
    for (const evicted of decision.evicted) this.loaded.delete(evicted);
    let value = this.loaded.get(key);
    if (!value) {
      value = this.load(key);
      this.loaded.set(key, value);
      value.catch(() => {
        this.loaded.delete(key);
        this.state = forgetArtifact(this.state, key);
      });
    }
    return value;
  }

  /** Hits, misses, evictions and the keys held, for the health answer. */
  stats(): ArtifactCacheState {
    return this.state;
  }
}
