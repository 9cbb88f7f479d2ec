// Loads data for a view and tracks its state, so every view shows loading and failures the same way.
import { useCallback, useEffect, useState } from './preact.js';

/** Runs `load()` when `keys` change; `{ data, error, loading, reload }`. */
export function useLoad(load, keys) {
  const [state, setState] = useState({ data: undefined, error: undefined, loading: true });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, error: undefined, loading: false }),
      (error) => current && setState({ data: undefined, error, loading: false }),
    );
    return () => { current = false; };
  }, [...keys, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}

/** A paged list: the first page on `keys` change, then `more()` appends the next page by its continuation token. */
export function usePagedList(fetchPage, keys) {
  const [state, setState] = useState({ items: [], token: undefined, error: undefined, loading: true });
  const load = useCallback((token, previous) => {
    setState((s) => ({ ...s, loading: true }));
    fetchPage(token).then(
      (page) => setState({ items: [...previous, ...page.items], token: page.continuationToken, error: undefined, loading: false }),
      (error) => setState((s) => ({ ...s, error, loading: false })),
    );
  }, keys);
  useEffect(() => load(undefined, []), [load]);
  return { ...state, more: () => load(state.token, state.items), reload: () => load(undefined, []) };
}
