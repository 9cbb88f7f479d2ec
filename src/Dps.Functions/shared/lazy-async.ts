/**
 * Wraps an async factory so it runs once per process, on first use (no I/O at load time); a failed
 * attempt is forgotten so the next call tries again.
 */
export function lazyAsync<T>(factory: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    if (!value) {
      value = factory();
      value.catch(() => (value = undefined));
    }
    return value;
  };
}
