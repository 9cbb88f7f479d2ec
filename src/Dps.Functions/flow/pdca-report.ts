import type { FlowMetrics, FlowReport } from '../../Dps.Domain/flow/flow-report';

/** A model's latest drift verdict, when a drift monitor has one. */
export interface DriftVerdict {
  model: string;
  end: string;
  datasetDrift: boolean;
  share: number;
}

/** What the weekly PDCA report shows besides the flow report. */
export interface PdcaExtras {
  generatedAt: string;
  /** FinOps savings of the month so far (estimate). */
  savings?: { month: string; amount: number; stops: number; currency: string };
  /** Undefined: no drift monitor in this deployment; empty: monitors found nothing to report. */
  drift?: DriftVerdict[];
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
const percent = (share: number | null, digits = 1) => (share === null ? '–' : `${(share * 100).toFixed(digits)}%`);
const money = (amount: number | null, currency: string) => (amount === null ? '–' : `${amount < 1 && amount > 0 ? amount.toPrecision(3) : amount.toFixed(2)} ${currency}`);

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">Nothing in this window.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The actions the numbers ask for, most pressing first: the longest queue, spent budgets, rework. */
export function pdcaActions(report: FlowReport): string[] {
  const o = report.overall;
  const actions: string[] = [];
  const queue = [...o.stages].sort((a, b) => b.waitBefore.totalMs - a.waitBefore.totalMs)[0];
  if (queue && queue.waitBefore.totalMs > 0) {
    actions.push(`The longest queue is in front of '${queue.stage}': ${duration(queue.waitBefore.totalMs)} of waiting over ${queue.waitBefore.count} runs (p95 ${duration(queue.waitBefore.p95Ms)}). Shorten it first.`);
  }
  for (const b of report.slo.filter((x) => x.remaining !== null && x.remaining < 0)) {
    actions.push(`The ${b.slo} budget is overspent (${b.bad} bad of ${b.total}, ${b.allowedBad.toFixed(2)} allowed): stop changes that add risk until it recovers.`);
  }
  const reworked = o.firstPassYield.finished - o.firstPassYield.firstPass;
  if (reworked > 0) actions.push(`${reworked} of ${o.firstPassYield.finished} finished batches did not pass first time (rejected, failed or replayed): read their errors and quarantine reasons.`);
  if (o.takt.taktMs !== null && o.leadTime.toFinished.p95Ms !== null && o.leadTime.toFinished.p95Ms > o.takt.taktMs) {
    actions.push(`Lead time p95 (${duration(o.leadTime.toFinished.p95Ms)}) is longer than takt (${duration(o.takt.taktMs)}): batches arrive faster than the slowest ones finish.`);
  }
  if (actions.length === 0) actions.push('No queue, overspent budget or rework stands out this week: keep the standard.');
  return actions;
}

function sliceRows<T extends FlowMetrics>(slices: T[], name: (s: T) => string, currency: string): string[][] {
  return slices.map((s) => [
    name(s), String(s.throughput.finished), String(s.throughput.accepted), String(s.throughput.registered),
    duration(s.leadTime.toFinished.p95Ms), percent(s.flowEfficiency.efficiency), percent(s.quarantineShare.share, 2), money(s.cost.perRun, currency),
  ]);
}

/**
 * The weekly Plan-Do-Check-Act page over a flow report: what flowed, where it waited, what it cost,
 * what drifted and what was saved, then the actions the numbers ask for. Every value is escaped.
 */
export function renderPdcaReport(report: FlowReport, extras: PdcaExtras): string {
  const o = report.overall;
  const currency = o.cost.currency;
  const sliceHead = ['', 'finished', 'accepted', 'registered', 'lead time p95', 'flow efficiency', 'quarantine share', 'cost per run'];
  const drift = extras.drift === undefined
    ? '<p class="muted">No drift monitor reports in this deployment yet.</p>'
    : table(['model', 'window end', 'verdict', 'features drifted'], extras.drift.map((d) => [d.model, d.end, d.datasetDrift ? 'drift' : 'stable', percent(d.share, 0)]));
  const savings = extras.savings
    ? `<p>Off-hours savings in ${escape(extras.savings.month)} so far: <strong>${escape(money(extras.savings.amount, extras.savings.currency))}</strong> from ${extras.savings.stops} stops (estimate).</p>`
    : '<p class="muted">No FinOps records.</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DPS weekly PDCA report ${escape(report.window.from.slice(0, 10))} to ${escape(report.window.to.slice(0, 10))}</title>
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1d2733}table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccd3db;padding:.25rem .5rem;text-align:left}th{background:#eef2f6}.muted{color:#667}</style></head>
<body>
<h1>Weekly PDCA report</h1>
<p class="muted">Window ${escape(report.window.from)} to ${escape(report.window.to)} (${report.window.days.toFixed(1)} days), generated ${escape(extras.generatedAt)}. Costs are estimates from list prices, not a bill.</p>
<h2>Plan: the objectives</h2>
${table(['SLO', 'objective', 'events', 'bad', 'allowed', 'budget left', 'met'], report.slo.map((b) => [b.slo, b.objective, String(b.total), String(b.bad), b.allowedBad.toFixed(2), percent(b.remaining, 0), b.total === 0 ? 'no events' : b.met ? 'yes' : 'no']))}
<h2>Do: what flowed</h2>
<p>${o.throughput.finished} runs finished (${o.throughput.accepted} accepted, ${o.throughput.rejected} rejected, ${o.throughput.failed} failed); ${o.throughput.registered} model versions registered, ${o.throughput.championed} became champion. ${o.takt.arrivals} batches landed (takt ${escape(duration(o.takt.taktMs))}); ${o.workInProgress.runs} runs and ${o.workInProgress.rollouts} rollouts in progress at the end.</p>
${table(sliceHead, sliceRows(report.datasets, (d) => d.dataset, currency))}
<h2>Check: where it waited, what it cost</h2>
<p>Lead time landing to finished p50 ${escape(duration(o.leadTime.toFinished.p50Ms))}, p95 ${escape(duration(o.leadTime.toFinished.p95Ms))}; to registered p95 ${escape(duration(o.leadTime.toRegistered.p95Ms))}; to champion p95 ${escape(duration(o.leadTime.toChampion.p95Ms))}. Flow efficiency ${escape(percent(o.flowEfficiency.efficiency))}: ${escape(duration(o.flowEfficiency.valueAddMs))} of work in ${escape(duration(o.flowEfficiency.leadMs))} of lead time, ${escape(duration(o.flowEfficiency.waitMs))} waiting.</p>
${table(['stage', 'done', 'work p50', 'work p95', 'wait before p50', 'wait before p95', 'wait before total', 'in progress'], o.stages.map((s) => [s.stage, String(s.processing.count), duration(s.processing.p50Ms), duration(s.processing.p95Ms), duration(s.waitBefore.p50Ms), duration(s.waitBefore.p95Ms), duration(s.waitBefore.totalMs), String(s.workInProgress)]))}
<p>First-pass yield ${escape(percent(o.firstPassYield.yield))} (${o.firstPassYield.firstPass} of ${o.firstPassYield.finished}); quarantine share ${escape(percent(o.quarantineShare.share, 2))} (${o.quarantineShare.quarantined} of ${o.quarantineShare.read} rows). Cost ${escape(money(o.cost.total, currency))} over ${o.cost.runs} runs, ${escape(money(o.cost.perRun, currency))} per run (compute ${escape(money(o.cost.compute, currency))}, executions ${escape(money(o.cost.executions, currency))}, storage ${escape(money(o.cost.storage, currency))}; ${o.cost.fromStageTime} runs costed from stage time).</p>
<h3>Per model</h3>
${table(sliceHead, sliceRows(report.models, (m) => m.model, currency))}
<h3>What drifted</h3>
${drift}
<h3>What was saved</h3>
${savings}
<h2>Act</h2>
<ul>${pdcaActions(report).map((a) => `<li>${escape(a)}</li>`).join('')}</ul>
</body></html>
`;
}
