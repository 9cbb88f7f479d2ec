/**
 * Wraps an async factory of something built on `source()` (the app's storage clients) so it runs on first
 * use (no I/O at load time) and again only when the source changes: an app hosted again in the same process
 * on other storage gets new stores, not the first host's. A failed attempt is forgotten so the next call tries again.
 */
export function lazyAsync<S, T>(source: () => S, factory: (source: S) => Promise<T>): () => Promise<T> {
  let cached: { source: S; value: Promise<T> } | undefined;
  return () => {
    const current = source();
    if (!cached || cached.source !== current) {
      const entry = { source: current, value: factory(current) };
      cached = entry;
      entry.value.catch(() => {
        if (cached === entry) cached = undefined;
      });
    }
    return cached.value;
  };
}
