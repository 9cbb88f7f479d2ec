// Calls the app's HTTP API next to the console, carrying the function key the page was opened with.

/** The API root: this module lives at {api}/console/assets/api-client.js. */
const API_ROOT = new URL('../../', import.meta.url);
const CODE = new URLSearchParams(location.search).get('code');

/** The URL of an API path with query parameters (empty ones left out) and the page's `code`. */
export function apiUrl(path, params = {}) {
  const url = new URL(path, API_ROOT);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(name, String(value));
  }
  if (CODE) url.searchParams.set('code', CODE);
  return url.toString();
}

/** Escapes one path segment (a dataset or model name) for a URL. */
export const segment = (name) => encodeURIComponent(name);

async function answer(response, path, accept) {
  const text = await response.text();
  let body;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = { error: text.slice(0, 200) };
  }
  if (!response.ok && !accept.includes(response.status)) {
    throw new Error(`${path}: ${response.status} ${body?.error ?? response.statusText}`);
  }
  return body;
}

const JSON_GET = { headers: { accept: 'application/json' } };

/** GETs started before the view asked for them (view-prefetch.js), by URL; each answer is taken once. */
const early = new Map();

/** Starts a GET now: the next `getJson` of the same path and parameters takes its answer instead of calling again. */
export function startEarly(path, params = {}) {
  const url = apiUrl(path, params);
  const response = fetch(url, JSON_GET);
  response.catch(() => {}); // a failure surfaces where the view takes the answer, not as an unhandled rejection
  early.set(url, response);
}

/** GETs JSON; a status outside 2xx throws with the API's error, unless listed in `accept`. */
export async function getJson(path, params = {}, accept = []) {
  const url = apiUrl(path, params);
  const started = early.get(url);
  early.delete(url);
  return answer(await (started ?? fetch(url, JSON_GET)), path, accept);
}

/** POSTs a JSON body and reads the JSON answer. */
export async function postJson(path, body = {}, params = {}) {
  const response = await fetch(apiUrl(path, params), {
    method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
  });
  return answer(response, path, []);
}

/** The items of a paged list answer: `{items, continuationToken}` (or a bare array, or `{[key]: [...]}`). */
export function listItems(body, key) {
  if (Array.isArray(body)) return body;
  return body?.items ?? body?.[key] ?? [];
}
