// A plain table over rows; cells are values or small components, always rendered as escaped text.
import { html } from './preact.js';

/** `columns`: `[{ label, cell: (row) => value, numeric? }]`. */
export function DataTable({ columns, rows, rowKey = (row, i) => i }) {
  return html`<table>
    <thead><tr>${columns.map((c) => html`<th class=${c.numeric ? 'num' : ''}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((row, i) => html`<tr key=${rowKey(row, i)}>${columns.map((c) => html`<td class=${c.numeric ? 'num' : ''}>${c.cell(row)}</td>`)}</tr>`)}</tbody>
  </table>`;
}

/** A labelled figure for a tile row. */
export const Tile = ({ label, value, hint }) => html`<div class="tile" title=${hint ?? ''}><div class="tile-value">${value}</div><div class="tile-label">${label}</div></div>`;

/** An outcome shown with its colour class (accepted, rejected, failed, running, ...). */
export const Outcome = ({ value }) => html`<span class=${`outcome outcome-${String(value ?? 'unknown').replace(/[^a-zA-Z-]/g, '')}`}>${value ?? '–'}</span>`;
