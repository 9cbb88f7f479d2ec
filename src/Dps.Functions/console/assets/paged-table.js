// A paged list's table with its "more" button and load state.
import { DataTable } from './data-table.js';
import { html } from './preact.js';

/** Renders the rows of a `usePagedList` state; `what` names them for the empty and error lines. */
export function PagedTable({ list, columns, what, rowKey }) {
  if (list.error) return html`<p class="failure" role="alert">Could not load ${what}: ${list.error.message}</p>`;
  if (list.items.length === 0) return html`<p class="muted">${list.loading ? 'Loading…' : `No ${what} yet.`}</p>`;
  return html`<${DataTable} columns=${columns} rows=${list.items} rowKey=${rowKey} />
    ${list.token ? html`<button onClick=${list.more} disabled=${list.loading}>More ${what}</button>` : null}`;
}
