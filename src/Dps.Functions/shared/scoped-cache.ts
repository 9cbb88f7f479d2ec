/**
 * A bounded cache of async values, kept apart per scope (the storage client they were read from): an app
 * hosted again in the same process on other storage starts empty. The oldest entry goes first; a failed
 * value is forgotten so the next call builds it again.
 */
export function scopedCache<T>(limit: number): (scope: object, key: string, build: () => Promise<T>) => Promise<T> {
  const caches = new WeakMap<object, Map<string, Promise<T>>>();
  return (scope, key, build) => {
    let cache = caches.get(scope);
    if (!cache) caches.set(scope, (cache = new Map()));
    const existing = cache.get(key);
    if (existing) return existing;
    const entry = build();
    const owner = cache;
    entry.catch(() => {
      if (owner.get(key) === entry) owner.delete(key);
    });
    cache.set(key, entry);
    if (cache.size > limit) cache.delete(cache.keys().next().value as string);
    return entry;
  };
}
