import type { DriftReference, FeatureReference } from '../../Dps.Domain/drift/drift-reference';
import { categoryPsiCounts, numericPsiCounts } from '../../Dps.Domain/drift/feature-drift';
import type { HysteresisState } from '../../Dps.Domain/drift/hysteresis';
import type { CategoricalFeatureSketch, NumericFeatureSketch } from '../../Dps.Domain/drift/window-sketch';
import { escapeHtml as e } from '../../Dps.Domain/registry/model-card';
import type { StoredWindow } from './drift-monitor-store';

/** What the drift report shows: a model's reference and its closed windows, oldest first. */
export interface DriftReportInput {
  model: string;
  referenceVersion: number;
  reference: DriftReference;
  status: HysteresisState;
  windows: StoredWindow[];
}

const REF = '#4e79a7';
const CUR = '#f28e2b';
const BAD = '#d62728';

const fmt = (n: number | null | undefined): string => (n === null || n === undefined ? 'n/a' : Math.abs(n) >= 1000 || Number.isInteger(n) ? String(Math.round(n * 1000) / 1000) : n.toPrecision(4));

/** Bin labels and reference counts of a feature on its PSI bins (quantile edges, or top categories plus the rest). */
function bins(f: FeatureReference): { labels: string[]; reference: number[] } {
  if (f.kind === 'numeric') {
    const edges = f.psiEdges;
    const labels = edges.length < 2 ? ['all'] : edges.slice(0, -1).map((lo, i) => `${fmt(lo)}..${fmt(edges[i + 1])}`);
    return { labels, reference: numericPsiCounts(f, f) };
  }
  return { labels: [...f.psiCategories, 'other'], reference: categoryPsiCounts(f, f.counts, f.other) };
}

function currentCounts(f: FeatureReference, window: StoredWindow | undefined): number[] | undefined {
  const sketch = window?.sketch.features[f.name];
  if (!sketch) return undefined;
  if (f.kind === 'numeric') return numericPsiCounts(f, sketch as NumericFeatureSketch);
  const c = sketch as CategoricalFeatureSketch;
  return categoryPsiCounts(f, c.counts, c.other);
}

const shares = (counts: number[]): number[] => {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
};

/** Reference and current shares per bin as side-by-side bars. */
function histogramSvg(labels: string[], reference: number[], current: number[] | undefined): string {
  const width = 560;
  const height = 170;
  const base = 130;
  const r = shares(reference);
  const c = current ? shares(current) : undefined;
  const top = Math.max(1e-9, ...r, ...(c ?? []));
  const slot = width / labels.length;
  const bar = Math.max(1, slot / 2 - 2);
  const parts: string[] = [];
  labels.forEach((label, i) => {
    const x = i * slot + 1;
    const hr = (r[i] / top) * (base - 10);
    parts.push(`<rect x="${x.toFixed(1)}" y="${(base - hr).toFixed(1)}" width="${bar.toFixed(1)}" height="${hr.toFixed(1)}" fill="${REF}"><title>${e(`${label}: reference ${(r[i] * 100).toFixed(1)} %`)}</title></rect>`);
    if (c) {
      const hc = (c[i] / top) * (base - 10);
      parts.push(`<rect x="${(x + bar + 1).toFixed(1)}" y="${(base - hc).toFixed(1)}" width="${bar.toFixed(1)}" height="${hc.toFixed(1)}" fill="${CUR}"><title>${e(`${label}: current ${(c[i] * 100).toFixed(1)} %`)}</title></rect>`);
    }
    if (labels.length <= 12) parts.push(`<text x="${(x + slot / 2).toFixed(1)}" y="${base + 14}" font-size="9" text-anchor="middle">${e(label.length > 14 ? `${label.slice(0, 13)}…` : label)}</text>`);
  });
  parts.push(`<line x1="0" y1="${base}" x2="${width}" y2="${base}" stroke="#999"/>`);
  return `<svg role="img" aria-label="reference vs current histogram" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/** A feature's score in each window, with its threshold as a dashed line; drifted windows in red. */
function scoreSvg(points: { index: number; score: number | null; drift: boolean }[], threshold: number | undefined): string {
  const width = 560;
  const height = 120;
  const values = points.map((p) => p.score).filter((s): s is number => s !== null);
  const top = Math.max(threshold ?? 0, ...values, 1e-9) * 1.1;
  const x = (i: number) => (points.length <= 1 ? width / 2 : 20 + (i * (width - 40)) / (points.length - 1));
  const y = (v: number) => height - 10 - (v / top) * (height - 20);
  const parts: string[] = [];
  if (threshold !== undefined) parts.push(`<line x1="0" x2="${width}" y1="${y(threshold).toFixed(1)}" y2="${y(threshold).toFixed(1)}" stroke="#999" stroke-dasharray="4 3"><title>${e(`threshold ${threshold}`)}</title></line>`);
  const line = points.map((p, i) => (p.score === null ? '' : `${x(i).toFixed(1)},${y(p.score).toFixed(1)}`)).filter(Boolean).join(' ');
  if (line) parts.push(`<polyline points="${line}" fill="none" stroke="${REF}"/>`);
  points.forEach((p, i) => {
    if (p.score === null) return;
    parts.push(`<circle cx="${x(i).toFixed(1)}" cy="${y(p.score).toFixed(1)}" r="3" fill="${p.drift ? BAD : REF}"><title>${e(`window ${p.index}: ${fmt(p.score)}${p.drift ? ' (drift)' : ''}`)}</title></circle>`);
  });
  return `<svg role="img" aria-label="score over windows" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}

/**
 * The drift report as one HTML page without scripts: status, the windows' verdicts, and per feature the
 * reference against the latest window on the PSI bins and the feature's score over windows. Every value is escaped.
 */
export function renderDriftReport(input: DriftReportInput): string {
  const { model, reference, windows, status } = input;
  const latest = windows[windows.length - 1];
  const rows = windows.map((w) => `<tr><td>${e(w.index)}</td><td>${e(w.drift.start)}..${e(w.drift.end)}</td><td>${e(w.drift.rows)}</td><td>${e(`${w.drift.drifted}/${w.drift.evaluated}`)}</td><td>${e(w.drift.share.toFixed(2))}</td><td class="${w.drift.datasetDrift ? 'bad' : ''}">${w.drift.datasetDrift ? 'drift' : 'clean'}</td><td>${e(w.hysteresis.status)}${w.changed ? ' (changed)' : ''}</td></tr>`);
  const sections = reference.features.map((f) => {
    const { labels, reference: counts } = bins(f);
    const verdict = latest?.drift.features.find((x) => x.name === f.name);
    const points = windows.map((w) => {
      const fd = w.drift.features.find((x) => x.name === f.name);
      return { index: w.index, score: fd?.score ?? null, drift: fd?.drift ?? false };
    });
    const summary = verdict
      ? `${e(verdict.method)} ${e(fmt(verdict.score))} (threshold ${e(verdict.threshold)}) — <span class="${verdict.drift ? 'bad' : ''}">${verdict.drift ? 'drift' : 'no drift'}</span>; PSI ${e(fmt(verdict.psi))}${verdict.psiLevel ? ` (${e(verdict.psiLevel)})` : ''}`
      : 'no window yet';
    return `<section><h3>${e(f.name)} <small>${e(f.kind)}</small></h3><p>${summary}</p>
<p class="legend"><span style="color:${REF}">■</span> reference (${e(f.rows)} rows) <span style="color:${CUR}">■</span> latest window${latest ? ` ${e(latest.index)}` : ''}</p>
${histogramSvg(labels, counts, currentCounts(f, latest))}
${scoreSvg(points, verdict?.threshold)}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${e(`Drift report: ${model}`)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:960px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;font-size:13px}.bad{color:${BAD};font-weight:bold}section{margin:1.5rem 0}small{color:#666}.legend{font-size:12px}</style>
</head><body>
<h1>${e(`Drift report: ${model}`)}</h1>
<p>Reference: ${e(reference.source)} (${e(reference.rows)} rows, champion v${e(input.referenceVersion)}). Status: <strong class="${status.status === 'drift' ? 'bad' : ''}">${e(status.status)}</strong>${status.since ? ` since ${e(status.since)}` : ''}.</p>
<h2>Windows</h2>
${windows.length === 0 ? '<p>No window has closed yet.</p>' : `<table><tr><th>#</th><th>rows</th><th>size</th><th>drifted</th><th>share</th><th>verdict</th><th>status</th></tr>${rows.join('')}</table>`}
<h2>Features</h2>
${sections.join('\n')}
</body></html>`;
}
