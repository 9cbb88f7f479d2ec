// FinOps: the off-hours runs and actions, and what they saved (estimates).
import { getJson } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { money, text, when } from '../format.js';
import { Loaded } from '../load-state.js';
import { html } from '../preact.js';
import { Chart, lineOptions } from '../uplot-chart.js';
import { useLoad } from '../use-api.js';

const counts = (byKey) => Object.entries(byKey ?? {}).map(([k, n]) => `${k} ${n}`).join(', ') || '–';

/** The FinOps view. */
export function FinOps() {
  const report = useLoad(() => getJson('finops/report'), []);
  return html`<h2>FinOps</h2><${Loaded} state=${report}>${(r) => {
    const runs = [...r.runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
    const options = lineOptions('Estimated savings per off-hours run', [{ label: 'savings', value: (_, v) => money(v) }]);
    return html`
      <div class="tiles">
        <${Tile} label=${`saved in ${r.month} (estimate)`} value=${money(r.savingsMonthToDate.amount)} hint=${`${r.savingsMonthToDate.stops} stops`} />
        <${Tile} label="dry runs would have saved" value=${money(r.dryRunSavingsMonthToDate.amount)} hint=${`${r.dryRunSavingsMonthToDate.stops} stops`} />
      </div>
      ${runs.length > 1 ? html`<${Chart} options=${options} data=${[runs.map((x) => Date.parse(x.startedAt) / 1000), runs.map((x) => x.savings)]} />` : null}
      <h3>Runs</h3>
      <${DataTable} rows=${r.runs} rowKey=${(x) => x.runId} columns=${[
        { label: 'started', cell: (x) => when(x.startedAt) },
        { label: 'trigger', cell: (x) => `${x.trigger}${x.dryRun ? ' (dry run)' : ''}` },
        { label: 'status', cell: (x) => html`<${Outcome} value=${x.status} />` },
        { label: 'planned', cell: (x) => counts(x.decisions) },
        { label: 'taken', cell: (x) => counts(x.outcomes) },
        { label: 'savings', numeric: true, cell: (x) => money(x.savings) },
        { label: 'note', cell: (x) => x.error ?? x.note ?? '' },
      ]} />
      <h3>Actions</h3>
      <${DataTable} rows=${r.actions} rowKey=${(a) => `${a.runId}-${a.id}`} columns=${[
        { label: 'at', cell: (a) => when(a.actedAt ?? a.at) },
        { label: 'resource', cell: (a) => a.id },
        { label: 'type', cell: (a) => a.type },
        { label: 'action', cell: (a) => a.action },
        { label: 'outcome', cell: (a) => html`<${Outcome} value=${a.outcome} />` },
        { label: 'why', cell: (a) => a.error ?? a.reason },
        { label: 'saves', numeric: true, cell: (a) => (a.estimatedSavings ? money(a.estimatedSavings.amount) : text(undefined)) },
      ]} />`;
  }}<//>`;
}
