// Models: the registry list, then one model's aliases, versions with metrics side by side, cards and lineage.
import { apiUrl, getJson, segment } from '../api-client.js';
import { DataTable } from '../data-table.js';
import { number, text, when } from '../format.js';
import { Loaded } from '../load-state.js';
import { loadModels, modelName } from '../model-picker.js';
import { html } from '../preact.js';
import { routeHref } from '../router.js';
import { Chart, lineOptions } from '../uplot-chart.js';
import { useLoad } from '../use-api.js';

function ModelList() {
  const models = useLoad(loadModels, []);
  return html`<h2>Models</h2><${Loaded} state=${models}>${(items) => html`<${DataTable} rows=${items} rowKey=${modelName} columns=${[
    { label: 'model', cell: (m) => html`<a href=${routeHref('models', modelName(m))}>${modelName(m)}</a>` },
    { label: 'champion', numeric: true, cell: (m) => text(m.aliases?.champion?.version ?? m.champion) },
    { label: 'challenger', numeric: true, cell: (m) => text(m.aliases?.challenger?.version ?? m.challenger) },
    { label: 'versions', numeric: true, cell: (m) => text(m.versions?.length ?? m.latestVersion) },
    { label: 'task', cell: (m) => text(m.task) },
  ]} />`}<//>`;
}

function MetricsChart({ versions, names }) {
  const xs = versions.map((v) => v.version);
  const options = lineOptions('Metrics by version', names.map((n) => ({ label: n })), { time: false });
  return html`<${Chart} options=${options} data=${[xs, ...names.map((n) => versions.map((v) => v.metrics[n] ?? null))]} />`;
}

function ModelDetail({ model }) {
  const detail = useLoad(() => getJson(`models/${segment(model)}`), [model]);
  return html`<h2>${model}</h2><${Loaded} state=${detail}>${(m) => {
    const versions = [...m.versions].sort((a, b) => a.version - b.version);
    const metricNames = [...new Set(versions.flatMap((v) => Object.keys(v.metrics)))].sort();
    const aliases = Object.entries(m.aliases ?? {}).map(([alias, a]) => ({ alias, ...a }));
    return html`
      <h3>Aliases</h3>
      <${DataTable} rows=${aliases} rowKey=${(a) => a.alias} columns=${[
        { label: 'alias', cell: (a) => a.alias },
        { label: 'version', numeric: true, cell: (a) => a.version },
        { label: 'since', cell: (a) => when(a.at) },
        { label: 'by', cell: (a) => a.who },
        { label: 'why', cell: (a) => a.why },
      ]} />
      <p><a href=${routeHref('rollouts', model)}>Rollout</a> · <a href=${routeHref('drift', model)}>Drift</a></p>
      <h3>Versions</h3>
      <${DataTable} rows=${versions} rowKey=${(v) => v.version} columns=${[
        { label: 'version', numeric: true, cell: (v) => v.version },
        { label: 'created', cell: (v) => when(v.createdAt) },
        ...metricNames.map((n) => ({ label: n, numeric: true, cell: (v) => `${number(v.metrics[n], 4)} (baseline ${number(v.baseline?.[n], 4)})` })),
        { label: 'card', cell: (v) => html`<a href=${apiUrl(`models/${segment(model)}/versions/${v.version}/card`)} target="_blank" rel="noopener">card</a>` },
      ]} />
      ${versions.length > 0 ? html`<${MetricsChart} versions=${versions} names=${metricNames} />` : null}
      <h3>Lineage</h3>
      <${DataTable} rows=${versions} rowKey=${(v) => v.version} columns=${[
        { label: 'version', numeric: true, cell: (v) => v.version },
        { label: 'dataset', cell: (v) => html`<a href=${routeHref('datasets', v.lineage.dataset)}>${v.lineage.dataset}</a>` },
        { label: 'batch', cell: (v) => String(v.lineage.datasetSha256 ?? '').slice(0, 12) },
        { label: 'contract', numeric: true, cell: (v) => v.lineage.contractRevision },
        { label: 'evaluation', cell: (v) => `${v.lineage.evaluation?.kind ?? '–'} (${number(v.lineage.evaluation?.rows, 0)} rows)` },
        { label: 'trials', numeric: true, cell: (v) => text(v.lineage.trials) },
        { label: 'run', cell: (v) => html`<a href=${routeHref('runs', v.lineage.pipelineInstanceId)}>${v.lineage.pipelineInstanceId}</a>` },
        { label: 'code', cell: (v) => text(v.lineage.codeVersion) },
      ]} />`;
  }}<//>`;
}

/** The models view: `#/models` or `#/models/{model}`. */
export function Models({ args }) {
  return args[0] ? html`<${ModelDetail} model=${args[0]} />` : html`<${ModelList} />`;
}
