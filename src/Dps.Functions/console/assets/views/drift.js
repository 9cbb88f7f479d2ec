// Drift: one model's per-feature drift scores over windows, as a heatmap table and a chart; the HTML report has the histograms.
import { apiUrl, getJson, segment } from '../api-client.js';
import { Outcome } from '../data-table.js';
import { number, percent, when } from '../format.js';
import { Loaded } from '../load-state.js';
import { ModelPicker } from '../model-picker.js';
import { html } from '../preact.js';
import { Chart, lineOptions } from '../uplot-chart.js';
import { useLoad } from '../use-api.js';

/** Cell shade: score against its threshold, capped at twice the threshold. */
const heat = (f) => (f ? Math.min(1, f.score / (2 * f.threshold || 1)) : 0);

function Heatmap({ windows }) {
  const features = [...new Set(windows.flatMap((w) => w.features.map((f) => f.name)))];
  return html`<table class="heatmap">
    <thead><tr><th>feature</th>${windows.map((w) => html`<th title=${`${w.start} – ${w.end}`}>${when(w.end)}</th>`)}</tr></thead>
    <tbody>${features.map((name) => html`<tr><th>${name}</th>${windows.map((w) => {
      const f = w.features.find((x) => x.name === name);
      return html`<td class=${f?.drift ? 'drifted' : ''} style=${{ '--heat': heat(f) }}
        title=${f ? `${f.method}: ${f.score} (threshold ${f.threshold})${f.psi === undefined ? '' : `, PSI ${f.psi}`}` : 'not measured'}>${f ? number(f.score, 3) : '–'}</td>`;
    })}</tr>`)}</tbody>
  </table>`;
}

function DriftDetail({ model }) {
  const drift = useLoad(() => getJson(`models/${segment(model)}/drift`, {}, [404]), [model]);
  return html`<${Loaded} state=${drift}>${(d) => {
    if (d?.error || !d?.windows?.length) return html`<p class="muted">${d?.error ?? 'No drift windows yet.'}</p>`;
    const latest = d.windows[d.windows.length - 1];
    const options = lineOptions('Share of drifted features per window', [{ label: 'share drifted', value: (_, v) => percent(v) }]);
    return html`
      <p>Latest window ${when(latest.start)} – ${when(latest.end)}: <${Outcome} value=${latest.datasetDrift ? 'drift' : 'stable'} />
        ${percent(latest.share, 0)} of features drifted over ${number(latest.rows, 0)} rows.
        <a href=${apiUrl(`models/${segment(model)}/drift/report`)} target="_blank" rel="noopener">Report with reference vs current histograms</a></p>
      <p class="muted">Reference: ${typeof d.reference === 'object' ? JSON.stringify(d.reference) : String(d.reference ?? '–')}</p>
      <${Heatmap} windows=${d.windows} />
      <${Chart} options=${options} data=${[d.windows.map((w) => Date.parse(w.end) / 1000), d.windows.map((w) => w.share)]} />`;
  }}<//>`;
}

/** The drift view: `#/drift` (pick a model) or `#/drift/{model}`. */
export function Drift({ args }) {
  return html`<h2>Drift</h2><${ModelPicker} view="drift" selected=${args[0]} />${args[0] ? html`<${DriftDetail} model=${args[0]} />` : null}`;
}
