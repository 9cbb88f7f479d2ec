// Datasets: the list, then one dataset's contract, batches with row accounting, runs and quarantine replay.
import { apiUrl, getJson, listItems, postJson, segment } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { number, text, when } from '../format.js';
import { Loaded } from '../load-state.js';
import { PagedTable } from '../paged-table.js';
import { html, useState } from '../preact.js';
import { routeHref } from '../router.js';
import { Chart, stackedBars } from '../uplot-chart.js';
import { useLoad, usePagedList } from '../use-api.js';

const nameOf = (item) => item.dataset ?? item.name;

function DatasetList() {
  const list = usePagedList((token) => getJson('datasets', { top: 50, continuationToken: token }).then((body) => ({ items: listItems(body, 'datasets'), continuationToken: body?.continuationToken })), []);
  return html`<h2>Datasets</h2><${PagedTable} list=${list} what="datasets" rowKey=${nameOf} columns=${[
    { label: 'dataset', cell: (d) => html`<a href=${routeHref('datasets', nameOf(d))}>${nameOf(d)}</a>` },
    { label: 'contract', cell: (d) => (d.contract ? `revision ${d.contract.revision}` : text(d.contractRevision)) },
    { label: 'rows accepted', numeric: true, cell: (d) => number(d.rows?.accepted) },
    { label: 'quarantined', numeric: true, cell: (d) => number(d.rows?.quarantined) },
    { label: 'last run', cell: (d) => (d.lastRun ? html`<${Outcome} value=${d.lastRun.status} /> ${when(d.lastRun.startedAt)}` : '–') },
  ]} />`;
}

function Replay({ dataset, onDone }) {
  const [state, setState] = useState({ busy: false });
  const replay = () => {
    setState({ busy: true });
    postJson(`datasets/${segment(dataset)}/quarantine/replay`).then(
      (outcome) => { setState({ busy: false, outcome }); onDone(); },
      (error) => setState({ busy: false, error }),
    );
  };
  const o = state.outcome;
  return html`<div class="actions">
    <button onClick=${replay} disabled=${state.busy}>Replay quarantine against the current contract</button>
    ${o ? html`<span><${Outcome} value=${o.status} /> ${o.rows ? `${o.rows.accepted} of ${o.rows.read} rows recovered` : ''}</span>` : null}
    ${state.error ? html`<span class="failure">${state.error.message}</span>` : null}
  </div>`;
}

function DatasetDetail({ dataset }) {
  const detail = useLoad(() => getJson(`datasets/${segment(dataset)}`), [dataset]);
  return html`<h2>${dataset}</h2><${Loaded} state=${detail}>${(d) => {
    const versions = d.silverVersions ?? [];
    const chart = stackedBars('Rows per silver version', versions.map((v) => `v${v.version}`), [
      { label: 'accepted', values: versions.map((v) => v.rows.accepted) },
      { label: 'quarantined', values: versions.map((v) => v.rows.quarantined) },
      { label: 'duplicates', values: versions.map((v) => v.rows.duplicates) },
    ], (v) => number(v, 0));
    return html`
      <div class="tiles">
        <${Tile} label="contract" value=${d.contract ? `revision ${d.contract.revision} (${d.contract.origin})` : 'none'} hint=${d.contract ? `stored ${d.contract.storedAt}` : ''} />
        <${Tile} label="label column" value=${d.contract?.label?.column ?? '–'} />
        <${Tile} label="rows read" value=${number(d.rows.read, 0)} />
        <${Tile} label="accepted" value=${number(d.rows.accepted, 0)} />
        <${Tile} label="quarantined" value=${number(d.rows.quarantined, 0)} />
        <${Tile} label="duplicates" value=${number(d.rows.duplicates, 0)} />
      </div>
      ${d.contract ? html`<p><a href=${apiUrl(`datasets/${segment(dataset)}/contract`)} target="_blank" rel="noopener">The contract (JSON)</a></p>` : null}
      <${Replay} dataset=${dataset} onDone=${detail.reload} />
      ${versions.length > 0 ? html`<${Chart} ...${chart} />` : null}
      <h3>Batches (silver versions)</h3>
      <${DataTable} rows=${versions} rowKey=${(v) => v.version} columns=${[
        { label: 'version', numeric: true, cell: (v) => v.version },
        { label: 'kind', cell: (v) => v.kind },
        { label: 'created', cell: (v) => when(v.createdAt) },
        { label: 'contract', numeric: true, cell: (v) => v.contractRevision },
        { label: 'read', numeric: true, cell: (v) => number(v.rows.read, 0) },
        { label: 'accepted', numeric: true, cell: (v) => number(v.rows.accepted, 0) },
        { label: 'quarantined', numeric: true, cell: (v) => number(v.rows.quarantined, 0) },
        { label: 'duplicates', numeric: true, cell: (v) => number(v.rows.duplicates, 0) },
        { label: 'run', cell: (v) => (v.pipelineInstanceId ? html`<a href=${routeHref('runs', v.pipelineInstanceId)}>${v.pipelineInstanceId}</a>` : '–') },
      ]} />
      <h3>Runs</h3>
      <${DataTable} rows=${d.runs ?? []} rowKey=${(r) => r.instanceId} columns=${[
        { label: 'run', cell: (r) => html`<a href=${routeHref('runs', r.instanceId)}>${r.instanceId}</a>` },
        { label: 'status', cell: (r) => html`<${Outcome} value=${r.status} />` },
        { label: 'started', cell: (r) => when(r.startedAt) },
        { label: 'rows', cell: (r) => `${r.rows.read} = ${r.rows.accepted} + ${r.rows.quarantined} + ${r.rows.duplicates}` },
        { label: 'errors', cell: (r) => (r.errors ?? []).join('; ') || '–' },
      ]} />`;
  }}<//>`;
}

/** The datasets view: `#/datasets` or `#/datasets/{dataset}`. */
export function Datasets({ args }) {
  return args[0] ? html`<${DatasetDetail} dataset=${args[0]} />` : html`<${DatasetList} />`;
}
