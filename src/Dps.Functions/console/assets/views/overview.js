// Overview: the line as a value-stream map with its flow metrics, open rollouts, drift, savings and the audit chain.
import { getJson } from '../api-client.js';
import { DataTable, Outcome, Tile } from '../data-table.js';
import { duration, money, number, percent } from '../format.js';
import { Loaded } from '../load-state.js';
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

function FlowPanel({ flow, lastRun }) {
  return html`<section><h2>Value stream</h2><${Loaded} state=${flow}>${(report) => {
    const o = report.overall;
    const chart = stackedBars('Work and wait per stage (mean)', o.stages.map((s) => s.stage), [
      { label: 'work', values: o.stages.map((s) => s.processing.meanMs ?? 0) },
      { label: 'wait before', values: o.stages.map((s) => s.waitBefore.meanMs ?? 0) },
    ], duration);
    return html`
      <p class="muted">${report.window.from} – ${report.window.to} (${number(report.window.days, 1)} days)</p>
      <${ValueStreamMap} stages=${o.stages} lastRun=${lastRun.data ?? undefined} />
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

function ModelsPanel({ models }) {
  return html`<section><h2>Rollouts and drift</h2><${Loaded} state=${models}>${(page) => html`<${DataTable} rows=${page.items} rowKey=${(r) => r.model} columns=${[
    { label: 'model', cell: (r) => html`<a href=${routeHref('models', r.model)}>${r.model}</a>` },
    { label: 'rollout', cell: (r) => (r.rollout ? html`<a href=${routeHref('rollouts', r.model)}><${Outcome} value=${r.rollout.status} /> v${r.rollout.version}</a>` : '–') },
    { label: 'latest drift', cell: (r) => (r.drift ? html`<a href=${routeHref('drift', r.model)}><${Outcome} value=${r.drift.datasetDrift ? 'drift' : 'stable'} /> ${percent(r.drift.share, 0)} of features</a>` : '–') },
  ]} />${page.continuationToken ? html`<p class="muted">The first ${page.items.length} models; <a href=${routeHref('models')}>all models</a>.</p>` : null}`}<//></section>`;
}

/** The chain tile: the check just made, from the checkpoint or from genesis, and how old the last check from genesis is. */
function chainTile(v) {
  if (!v.ok) return html`<${Tile} label="audit chain" value=${`broken at ${v.brokenAt}`} hint=${v.reason ?? ''} />`;
  const { scope, fromSeq, lastFull } = v.checked;
  const since = scope === 'checkpoint' ? `records after seq ${fromSeq} checked` : 'checked from genesis';
  return html`<${Tile} label=${`audit chain · full check ${duration(Date.now() - Date.parse(lastFull.at))} ago`} value=${`intact · ${v.length} records`} hint=${`${since}; last full check at seq ${lastFull.seq}, ${lastFull.at}`} />`;
}

function HousekeepingPanel({ finops, audit }) {
  return html`<section><h2>Savings and audit</h2><div class="tiles">
    <${Loaded} state=${finops}>${(r) => html`<${Tile} label=${`saved in ${r.month} (estimate)`} value=${money(r.savingsMonthToDate.amount)} hint=${`${r.savingsMonthToDate.stops} stops`} />`}<//>
    <${Loaded} state=${audit}>${(v) => html`<a href=${routeHref('audit')}>${chainTile(v)}</a>`}<//>
  </div></section>`;
}

/** One part of the overview answer as a load state: its data, or its own error (the other panels still show). */
function partOf(overview, name) {
  if (overview.error) return { error: overview.error };
  const value = overview.data?.[name];
  if (value && typeof value === 'object' && typeof value.error === 'string') return { error: new Error(value.details ? `${value.error}: ${value.details.join('; ')}` : value.error) };
  return { data: value };
}

/**
 * The overview page: one call (`GET /api/console/overview`) answers every panel, its parts read in
 * parallel on the server; the audit chain is checked from its checkpoint, so only new records are read.
 */
export function Overview() {
  const overview = useLoad(() => getJson('console/overview'), []);
  return html`<${FlowPanel} flow=${partOf(overview, 'flow')} lastRun=${partOf(overview, 'lastRun')} />
    <${ModelsPanel} models=${partOf(overview, 'models')} />
    <${HousekeepingPanel} finops=${partOf(overview, 'finops')} audit=${partOf(overview, 'audit')} />`;
}
