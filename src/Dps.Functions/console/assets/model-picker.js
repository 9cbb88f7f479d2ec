// The model list as links into a per-model view (rollouts, drift).
import { getJson, listItems } from './api-client.js';
import { Loaded } from './load-state.js';
import { html } from './preact.js';
import { routeHref } from './router.js';
import { useLoad } from './use-api.js';

/** The name of a model list item (`{model}` or `{name}`). */
export const modelName = (item) => item.model ?? item.name;

/** Loads the registered models (first 100). */
export const loadModels = () => getJson('models', { top: 100 }).then((body) => listItems(body, 'models'));

/** Links to `view` for each registered model, the selected one marked. */
export function ModelPicker({ view, selected }) {
  const models = useLoad(loadModels, []);
  return html`<nav class="picker" aria-label="models"><${Loaded} state=${models}>${(items) => items.length === 0
    ? html`<span class="muted">No models registered yet.</span>`
    : items.map((item) => html`<a href=${routeHref(view, modelName(item))} class=${modelName(item) === selected ? 'active' : ''}>${modelName(item)}</a>`)}<//></nav>`;
}
