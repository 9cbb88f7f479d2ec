// Follows the hash route (hash-route.js) as Preact state.
import { currentRoute } from './hash-route.js';
import { useEffect, useState } from './preact.js';

export { currentRoute, routeHref } from './hash-route.js';

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
