// Hash routes (#/view/arg...), so the page URL and its ?code= never change while moving between views.
import { useEffect, useState } from './preact.js';

/** The current route: `{ view, args }` from `#/view/arg1/arg2`. */
export function currentRoute() {
  const [view = 'overview', ...args] = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { view, args };
}

/** The href of a view, its arguments escaped. */
export const routeHref = (view, ...args) => `#/${[view, ...args].map(encodeURIComponent).join('/')}`;

/** The current route, following hash changes. */
export function useRoute() {
  const [route, setRoute] = useState(currentRoute());
  useEffect(() => {
    const follow = () => setRoute(currentRoute());
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}
