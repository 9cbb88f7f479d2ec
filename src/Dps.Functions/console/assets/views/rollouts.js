// Rollouts: one model's canary: traffic weights (over time when the API sends a history), gates, approve / abort.
import { getJson, postJson, segment } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { number, percent, text } from '../format.js';
import { Loaded } from '../load-state.js';
import { ModelPicker } from '../model-picker.js';
import { html, useState } from '../preact.js';
import { Chart, lineOptions, stackedBars } from '../uplot-chart.js';
import { useLoad } from '../use-api.js';

function WeightsChart({ rollout }) {
  const aliases = Object.keys(rollout.weights ?? {});
  const history = rollout.history ?? [];
  if (history.length > 1) {
    const options = lineOptions('Traffic weight (%) over time', aliases.map((a) => ({ label: a })));
    return html`<${Chart} options=${options} data=${[history.map((h) => Date.parse(h.at) / 1000), ...aliases.map((a) => history.map((h) => h.weights?.[a] ?? 0))]} />`;
  }
  return html`<${Chart} ...${stackedBars('Traffic weight now (%)', aliases, [{ label: 'weight', values: aliases.map((a) => rollout.weights[a]) }], (v) => `${v}%`)} />`;
}

function Decision({ model, onDone }) {
  const [state, setState] = useState({ busy: false });
  const act = (action) => {
    if (action === 'abort' && !confirm(`Abort the rollout of ${model} and send all traffic back to the champion?`)) return;
    setState({ busy: true });
    postJson(`models/${segment(model)}/rollout/${action}`).then(() => { setState({ busy: false }); onDone(); }, (error) => setState({ busy: false, error }));
  };
  return html`<div class="actions">
    <button onClick=${() => act('approve')} disabled=${state.busy}>Approve next step</button>
    <button class="danger" onClick=${() => act('abort')} disabled=${state.busy}>Abort</button>
    ${state.error ? html`<span class="failure" role="alert">${state.error.message}</span>` : null}
  </div>`;
}

function RolloutDetail({ model }) {
  const rollout = useLoad(() => getJson(`models/${segment(model)}/rollout`, {}, [404]), [model]);
  return html`<${Loaded} state=${rollout}>${(r) => (r?.error ? html`<p class="muted">${r.error}</p>` : html`
    <div class="tiles">
      <${Tile} label="status" value=${html`<${Outcome} value=${r.status} />`} />
      <${Tile} label="candidate version" value=${text(r.version)} />
      <${Tile} label="step" value=${text(r.step)} />
      ${Object.entries(r.weights ?? {}).map(([alias, pct]) => html`<${Tile} label=${`${alias} traffic`} value=${`${number(pct, 1)}%`} />`)}
    </div>
    ${r.status === 'running' ? html`<${Decision} model=${model} onDone=${rollout.reload} />` : null}
    <${WeightsChart} rollout=${r} />
    <h3>Gates</h3>
    <${DataTable} rows=${r.gates ?? []} rowKey=${(g, i) => `${i}-${g.name}`} columns=${[
      { label: 'step', numeric: true, cell: (g) => text(g.step) },
      { label: 'gate', cell: (g) => g.name },
      { label: 'value', numeric: true, cell: (g) => number(g.value, 4) },
      { label: 'threshold', numeric: true, cell: (g) => number(g.threshold, 4) },
      { label: 'result', cell: (g) => html`<${Outcome} value=${g.passed ? 'passed' : 'failed'} />` },
    ]} />
    <p class="muted">Instance ${r.instanceId} · share of gates passed ${percent((r.gates ?? []).filter((g) => g.passed).length / Math.max(1, (r.gates ?? []).length), 0)}</p>`)}<//>`;
}

/** The rollouts view: `#/rollouts` (pick a model) or `#/rollouts/{model}`. */
export function Rollouts({ args }) {
  return html`<h2>Rollouts</h2><${ModelPicker} view="rollouts" selected=${args[0]} />${args[0] ? html`<${RolloutDetail} model=${args[0]} />` : null}`;
}
