// What a view shows while its data loads or when it could not be loaded.
import { html } from './preact.js';

/** Renders `children(data)` once loaded; a spinner line before, the error message on failure. */
export function Loaded({ state, children }) {
  if (state.error) return html`<p class="failure" role="alert">Could not load: ${state.error.message}</p>`;
  if (state.data === undefined) return html`<p class="muted">Loading…</p>`;
  return children(state.data);
}

/** A message for an empty list. */
export const Empty = ({ what }) => html`<p class="muted">No ${what} yet.</p>`;
