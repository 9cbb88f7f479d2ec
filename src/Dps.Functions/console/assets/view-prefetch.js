// Starts the open view's first API calls as the page loads, while the UI library, the chart library and
// the views are still being fetched and evaluated; the views then take these answers (api-client.js)
// instead of calling only once every module has loaded. The calls must be exactly those the views make:
// the browser test fails on a view that calls the same URL twice.
import { segment, startEarly } from './api-client.js';
import { currentRoute } from './hash-route.js';

const MODELS = ['models', { top: 100 }];

/** Each view's first calls, `[path, params]`, by its route arguments. */
const FIRST_CALLS = {
  overview: () => [['console/overview']],
  datasets: (d) => [d ? [`datasets/${segment(d)}`] : ['datasets', { top: 50 }]],
  runs: (id) => [id ? [`pipelines/${segment(id)}`] : ['runs', { top: 25 }]],
  models: (m) => [m ? [`models/${segment(m)}`] : MODELS],
  rollouts: (m) => (m ? [MODELS, [`models/${segment(m)}/rollout`]] : [MODELS]),
  drift: (m) => (m ? [MODELS, [`models/${segment(m)}/drift`]] : [MODELS]),
  finops: () => [['finops/report']],
  audit: () => [['audit/events', { top: 50 }]],
};

const { view, args } = currentRoute();
for (const [path, params] of (FIRST_CALLS[view] ?? FIRST_CALLS.overview)(...args)) startEarly(path, params);
