// Overview: the line as a value-stream map with its flow metrics, open rollouts, drift, savings and the audit chain.
import { getJson, listItems, segment } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { duration, money, number, percent } from '../format.js';
import { Loaded } from '../load-state.js';
import { loadModels, modelName } from '../model-picker.js';
import { html } from '../preact.js';
import { routeHref } from '../router.js';
import { Chart, stackedBars } from '../uplot-chart.js';
import { useLoad } from '../use-api.js';

/** Each stage as a box (processing, work in progress, last outcome), the wait in front of it as the arrow. */
function ValueStreamMap({ stages, lastRun }) {
  const outcome = (name) => lastRun?.stages?.find((s) => s.name === name)?.status;
  return html`<ol class="vsm">${stages.map((s) => html`<li>
    <div class="vsm-wait" title="wait in front of this stage (median)">wait ${duration(s.waitBefore.p50Ms)}</div>
    <div class="vsm-box">
      <strong>${s.stage}</strong>
      <span>work ${duration(s.processing.p50Ms)} <small>p50</small></span>
      <span>${s.processing.count} done · WIP ${s.workInProgress}</span>
      ${outcome(s.stage) ? html`<${Outcome} value=${outcome(s.stage)} />` : null}
    </div></li>`)}</ol>`;
}

function FlowPanel({ flow }) {
  const lastRun = useLoad(() => getJson('runs', { top: 1 }).then((body) => listItems(body, 'runs')[0]), []);
  return html`<section><h2>Value stream</h2><${Loaded} state=${flow}>${(report) => {
    const o = report.overall;
    const chart = stackedBars('Work and wait per stage (mean)', o.stages.map((s) => s.stage), [
      { label: 'work', values: o.stages.map((s) => s.processing.meanMs ?? 0) },
      { label: 'wait before', values: o.stages.map((s) => s.waitBefore.meanMs ?? 0) },
    ], duration);
    return html`
      <p class="muted">${report.window.from} – ${report.window.to} (${number(report.window.days, 1)} days)</p>
      <${ValueStreamMap} stages=${o.stages} lastRun=${lastRun.data} />
      <div class="tiles">
        <${Tile} label="lead time to champion (p95)" value=${duration(o.leadTime.toChampion.p95Ms)} />
        <${Tile} label="lead time to registered (p95)" value=${duration(o.leadTime.toRegistered.p95Ms)} />
        <${Tile} label="flow efficiency" value=${percent(o.flowEfficiency.efficiency)} hint="value-add / lead time" />
        <${Tile} label="accepted batches / day" value=${number(o.throughput.acceptedPerDay)} />
        <${Tile} label="takt time" value=${duration(o.takt.taktMs)} hint="available time / batches demanded" />
        <${Tile} label="work in progress" value=${`${o.workInProgress.runs} runs · ${o.workInProgress.rollouts} rollouts`} />
        <${Tile} label="first-pass yield" value=${percent(o.firstPassYield.yield)} />
        <${Tile} label="quarantine share" value=${percent(o.quarantineShare.share, 2)} />
        <${Tile} label="cost per run (estimate)" value=${money(o.cost.perRun, o.cost.currency)} />
      </div>
      <${Chart} ...${chart} />
      <h3>Error budgets</h3>
      <${DataTable} rows=${report.slo} columns=${[
        { label: 'SLO', cell: (b) => b.slo },
        { label: 'objective', cell: (b) => (b.thresholdMs === undefined ? b.objective : `${b.objective.split(' ')[0]} within ${duration(b.thresholdMs)}`) },
        { label: 'observed', numeric: true, cell: (b) => (b.slo === 'availability' ? percent(b.observed, 3) : duration(b.observed)) },
        { label: 'bad / allowed', numeric: true, cell: (b) => `${b.bad} / ${number(b.allowedBad, 2)}` },
        { label: 'budget left', numeric: true, cell: (b) => percent(b.remaining, 0) },
        { label: 'met', cell: (b) => html`<${Outcome} value=${b.met ? 'met' : 'missed'} />` },
      ]} />`;
  }}<//></section>`;
}

/** Each model's rollout and latest drift verdict (a model without either answers 404: shown as none). */
async function loadModelStatus() {
  const models = (await loadModels()).slice(0, 20).map(modelName);
  const optional = (path) => getJson(path, {}, [404]).then((body) => (body?.error ? undefined : body), () => undefined);
  return Promise.all(models.map(async (model) => {
    const [rollout, drift] = await Promise.all([optional(`models/${segment(model)}/rollout`), optional(`models/${segment(model)}/drift`)]);
    return { model, rollout, drift: drift?.windows?.[drift.windows.length - 1] };
  }));
}

function ModelsPanel() {
  const status = useLoad(loadModelStatus, []);
  return html`<section><h2>Rollouts and drift</h2><${Loaded} state=${status}>${(rows) => html`<${DataTable} rows=${rows} rowKey=${(r) => r.model} columns=${[
    { label: 'model', cell: (r) => html`<a href=${routeHref('models', r.model)}>${r.model}</a>` },
    { label: 'rollout', cell: (r) => (r.rollout ? html`<a href=${routeHref('rollouts', r.model)}><${Outcome} value=${r.rollout.status} /> v${r.rollout.version}</a>` : '–') },
    { label: 'latest drift', cell: (r) => (r.drift ? html`<a href=${routeHref('drift', r.model)}><${Outcome} value=${r.drift.datasetDrift ? 'drift' : 'stable'} /> ${percent(r.drift.share, 0)} of features</a>` : '–') },
  ]} />`}<//></section>`;
}

function HousekeepingPanel({ verify }) {
  const finops = useLoad(() => getJson('finops/report'), []);
  // Until `verify`, a load that never settles: the tile shows it is loading.
  const chain = useLoad(() => (verify ? getJson('audit/verify', {}, [409]) : new Promise(() => {})), [verify]);
  return html`<section><h2>Savings and audit</h2><div class="tiles">
    <${Loaded} state=${finops}>${(r) => html`<${Tile} label=${`saved in ${r.month} (estimate)`} value=${money(r.savingsMonthToDate.amount)} hint=${`${r.savingsMonthToDate.stops} stops`} />`}<//>
    <${Loaded} state=${chain}>${(v) => html`<a href=${routeHref('audit')}><${Tile} label="audit chain" value=${v.ok ? `intact · ${v.length} records` : `broken at ${v.brokenAt}`} hint=${v.reason ?? ''} /></a>`}<//>
  </div></section>`;
}

/**
 * The overview page. The chain check reads and hashes every audit record, on the same instance as the
 * other calls: it starts once the flow report has arrived, so it does not hold up the value-stream map.
 */
export function Overview() {
  const flow = useLoad(() => getJson('flow'), []);
  const flowSettled = flow.data !== undefined || flow.error !== undefined;
  return html`<${FlowPanel} flow=${flow} /><${ModelsPanel} /><${HousekeepingPanel} verify=${flowSettled} />`;
}
