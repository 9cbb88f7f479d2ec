// Hash routes (#/view/arg...), so the page URL and its ?code= never change while moving between views.
// No imports: view-prefetch.js reads the route before the UI library has loaded.

/** The current route: `{ view, args }` from `#/view/arg1/arg2`. */
export function currentRoute() {
  const [view = 'overview', ...args] = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { view, args };
}

/** The href of a view, its arguments escaped. */
export const routeHref = (view, ...args) => `#/${[view, ...args].map(encodeURIComponent).join('/')}`;
