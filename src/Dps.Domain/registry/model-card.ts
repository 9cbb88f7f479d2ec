import type { AliasEvidence, ModelVersion } from './model-version';

/** Per-feature explanation shown on the card. */
export interface CardImportance {
  feature: string;
  gain: number;
  permutation: number;
}

/** A short data-profile line per column, taken from the gold profile. */
export interface CardProfileColumn {
  name: string;
  type: string;
  missingRate: number;
  summary: string;
}

/** Everything a card shows beyond the version record itself. */
export interface CardExtras {
  aliases: AliasEvidence[];
  importance: CardImportance[];
  profile: CardProfileColumn[];
  calibration?: { lower: number; upper: number; count: number; meanPredicted: number; observedRate: number }[];
}

/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (value: unknown): string =>
  String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(4));

function table(headers: string[], rows: unknown[][]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${typeof c === 'number' ? fmt(c) : escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function bars(items: CardImportance[]): string {
  const max = Math.max(...items.map((i) => i.gain), 1e-12);
  return items
    .map((i) => `<tr><td>${escapeHtml(i.feature)}</td><td><div class="bar" style="width:${((i.gain / max) * 100).toFixed(1)}%"></div></td><td>${fmt(i.gain)}</td><td>${fmt(i.permutation)}</td></tr>`)
    .join('\n');
}

/** Renders a model version as a self-contained HTML model card (every value escaped). */
export function renderModelCard(version: ModelVersion, extras: CardExtras): string {
  const { lineage } = version;
  const metricNames = Object.keys(version.metrics);
  const aliases = extras.aliases.filter((a) => a.version === version.version).map((a) => a.alias);
  const sections = [
    `<h1>${escapeHtml(version.model)} v${version.version}${aliases.length ? ` <span class="alias">${aliases.map(escapeHtml).join(', ')}</span>` : ''}</h1>`,
    `<p>${escapeHtml(version.task)} model, ${escapeHtml(version.algorithm)} (histogram gradient-boosted trees), registered ${escapeHtml(version.createdAt)} by ${escapeHtml(version.createdBy)}.</p>`,
    '<h2>Metrics</h2>',
    `<p>Evaluated on the ${lineage.evaluation.kind === 'test-set' ? 'test set' : 'stratified holdout'} (${lineage.evaluation.rows} rows, ${escapeHtml(lineage.evaluation.source)}).</p>`,
    table(['metric', 'model', 'linear baseline'], metricNames.map((m) => [m, version.metrics[m], version.baseline[m] ?? ''])),
    '<h2>Alias decisions</h2>',
    extras.aliases.length
      ? table(['alias', 'version', 'why', 'who', 'at'], extras.aliases.map((a) => [a.alias, `v${a.version}`, a.why, a.who, a.at]))
      : '<p>No alias points at a version of this model.</p>',
    '<h2>Feature importance</h2>',
    `<table><thead><tr><th>feature</th><th>gain</th><th></th><th>permutation (${version.task === 'binary' ? 'AUC' : 'RMSE'} change)</th></tr></thead><tbody>\n${bars(extras.importance)}\n</tbody></table>`,
    '<h2>Data profile</h2>',
    extras.profile.length ? table(['column', 'type', 'missing', 'summary'], extras.profile.map((c) => [c.name, c.type, `${(c.missingRate * 100).toFixed(1)}%`, c.summary])) : '<p>No profile recorded.</p>',
    ...(extras.calibration?.length
      ? ['<h2>Calibration</h2>', table(['bin', 'rows', 'mean predicted', 'observed rate'], extras.calibration.map((b) => [`${fmt(b.lower)}-${fmt(b.upper)}`, b.count, b.meanPredicted, b.observedRate]))]
      : []),
    '<h2>Signature (input schema)</h2>',
    table(['feature', 'kind', 'encoding'], version.signature.map((f) => [f.name, f.kind, f.kind === 'categorical' ? `${f.categories.length} categories` : f.source])),
    '<h2>Lineage</h2>',
    table(['field', 'value'], [
      ['dataset', lineage.dataset], ['dataset sha256', lineage.datasetSha256], ['contract revision', lineage.contractRevision],
      ['silver', `${lineage.silver.container}/${lineage.silver.name}`], ['artifact', `${version.artifact.container}/${version.artifact.name}`],
      ['code version', lineage.codeVersion], ['seed', lineage.seed], ['pipeline run', lineage.pipelineInstanceId],
      ['parameters', Object.entries(lineage.params).map(([k, v]) => `${k}=${v}`).join(', ')],
    ]),
    '<h3>Trials</h3>',
    table(['trial', 'validation loss', 'best iteration', 'parameters'], lineage.trials.map((t) => [t.trial, t.validationLoss, t.bestIteration, Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(', ')])),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(version.model)} v${version.version} model card</title>
<style>body{font:14px system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}.bar{background:#4a7;height:10px;min-width:1px}.alias{font-size:60%;background:#eef;padding:2px 6px;border-radius:4px}</style>
</head><body>
${sections.join('\n')}
</body></html>
`;
}
