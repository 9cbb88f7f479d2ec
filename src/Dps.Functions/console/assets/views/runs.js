// Runs: the paged run list with filters, then one run's stage timeline (work against wait), errors and links.
import { getJson, listItems, segment } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { duration, number, percent, when } from '../format.js';
import { Loaded } from '../load-state.js';
import { PagedTable } from '../paged-table.js';
import { html, useState } from '../preact.js';
import { routeHref } from '../router.js';
import { Chart, stackedBars } from '../uplot-chart.js';
import { useLoad, usePagedList } from '../use-api.js';

const runId = (r) => r.instanceId ?? r.id;

function RunList() {
  const [filter, setFilter] = useState({ dataset: '', status: '' });
  const list = usePagedList((token) => getJson('runs', { ...filter, top: 25, continuationToken: token })
    .then((body) => ({ items: listItems(body, 'runs'), continuationToken: body?.continuationToken })), [filter.dataset, filter.status]);
  const submit = (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    setFilter({ dataset: String(form.get('dataset') ?? ''), status: String(form.get('status') ?? '') });
  };
  return html`<h2>Runs</h2>
    <form class="filters" onSubmit=${submit}>
      <label>dataset <input name="dataset" value=${filter.dataset} /></label>
      <label>status <select name="status" value=${filter.status}>
        ${['', 'running', 'accepted', 'rejected', 'failed'].map((s) => html`<option value=${s}>${s || 'any'}</option>`)}
      </select></label>
      <button type="submit">Filter</button>
    </form>
    <${PagedTable} list=${list} what="runs" rowKey=${runId} columns=${[
      { label: 'run', cell: (r) => html`<a href=${routeHref('runs', runId(r))}>${runId(r)}</a>` },
      { label: 'dataset', cell: (r) => html`<a href=${routeHref('datasets', r.dataset)}>${r.dataset}</a>` },
      { label: 'status', cell: (r) => html`<${Outcome} value=${r.status} />` },
      { label: 'started', cell: (r) => when(r.startedAt ?? r.stages?.[0]?.startedAt) },
      { label: 'lead time', numeric: true, cell: (r) => duration(r.flow?.finished?.leadMs) },
      { label: 'flow efficiency', numeric: true, cell: (r) => (r.flow?.finished ? percent(r.flow.finished.valueAddMs / r.flow.finished.leadMs) : '–') },
      { label: 'rows read', numeric: true, cell: (r) => number(r.rows?.read, 0) },
      { label: 'model', cell: (r) => (r.model ? html`<a href=${routeHref('models', r.model.name)}>${r.model.name} v${r.model.version}</a>` : '–') },
    ]} />`;
}

/** Work and wait per stage: from the run's flow timeline when the API sends one, else from the stage records. */
function stageBars(run) {
  const timeline = run.flow?.finished;
  if (timeline) {
    const names = timeline.processing.map((p) => p.stage);
    const wait = (name) => timeline.waits.filter((w) => w.before === name).reduce((s, w) => s + w.ms, 0);
    return { names, work: timeline.processing.map((p) => p.ms), wait: names.map(wait) };
  }
  const stages = (run.stages ?? []).filter((s) => s.status !== 'skipped');
  const ends = stages.map((s) => (s.endedAt ? Date.parse(s.endedAt) : Date.now()));
  return {
    names: stages.map((s) => s.name),
    work: stages.map((s, i) => ends[i] - Date.parse(s.startedAt)),
    wait: stages.map((s, i) => (i === 0 ? 0 : Math.max(0, Date.parse(s.startedAt) - ends[i - 1]))),
  };
}

function RunDetail({ id }) {
  const run = useLoad(() => getJson(`pipelines/${segment(id)}`), [id]);
  return html`<h2>${id}</h2><${Loaded} state=${run}>${(r) => {
    const bars = stageBars(r);
    const chart = stackedBars('Stage timeline: work and the wait before it', bars.names, [
      { label: 'work', values: bars.work }, { label: 'wait before', values: bars.wait },
    ], duration);
    const model = r.model;
    return html`
      <div class="tiles">
        <${Tile} label="status" value=${html`<${Outcome} value=${r.status ?? r.runtimeStatus} />`} />
        <${Tile} label="dataset" value=${html`<a href=${routeHref('datasets', r.dataset)}>${r.dataset}</a>`} />
        <${Tile} label="rows read = accepted + quarantined + duplicates" value=${r.rows ? `${r.rows.read} = ${r.rows.accepted} + ${r.rows.quarantined} + ${r.rows.duplicates}` : '–'} />
        <${Tile} label="model" value=${model ? html`<a href=${routeHref('models', model.name)}>${model.name} v${model.version} (${model.alias})</a>` : '–'} />
      </div>
      ${bars.names.length > 0 ? html`<${Chart} ...${chart} />` : null}
      <${DataTable} rows=${r.stages ?? []} rowKey=${(s, i) => `${i}-${s.name}`} columns=${[
        { label: 'stage', cell: (s) => s.name },
        { label: 'status', cell: (s) => html`<${Outcome} value=${s.status} />` },
        { label: 'started', cell: (s) => when(s.startedAt) },
        { label: 'took', numeric: true, cell: (s) => duration(s.durationMs) },
        { label: 'detail', cell: (s) => s.detail ?? '' },
      ]} />
      ${(r.errors ?? []).length > 0 ? html`<h3>Errors</h3><ul class="failure">${r.errors.map((e) => html`<li>${e}</li>`)}</ul>` : null}
      ${(r.warnings ?? []).length > 0 ? html`<h3>Warnings</h3><ul>${r.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : null}`;
  }}<//>`;
}

/** The runs view: `#/runs` or `#/runs/{instanceId}`. */
export function Runs({ args }) {
  return args[0] ? html`<${RunDetail} id=${args[0]} />` : html`<${RunList} />`;
}
