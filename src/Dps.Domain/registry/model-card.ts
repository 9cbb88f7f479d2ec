import { barChart, confusionMatrix, lineChart } from './card-plots';
import type { EvaluationReport } from './evaluation-report';
import { escapeHtml } from './html-escape';
import type { AliasEvidence, EvaluationAccounting, ModelMetrics, ModelVersion, ScoringDecisions } from './model-version';

export { escapeHtml } from './html-escape';

/** Per-feature explanation of versions registered before evaluation reports (gain and permutation only). */
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

/** The evaluation details stored next to an artifact, as the card reads them. */
export interface CardEvaluation {
  report: EvaluationReport;
  /** Every candidate on the validation split, best first. */
  ranking: { id: string; kind: string; metrics: ModelMetrics }[];
  decisions?: ScoringDecisions;
  accounting?: EvaluationAccounting;
  calibration?: { tried: { method: string; logloss: number; ece: number }[] };
  /** The champion scored on the same evaluation rows, when there was one. */
  champion?: { version: number; metrics: ModelMetrics };
}

/** Everything a card shows beyond the version record itself. */
export interface CardExtras {
  aliases: AliasEvidence[];
  profile: CardProfileColumn[];
  /** The evaluation details (absent for versions registered before them, or when the blob is gone). */
  evaluation?: CardEvaluation;
  /** Versions registered before evaluation reports: gain and permutation importance, calibration bins. */
  importance?: CardImportance[];
  calibration?: { lower: number; upper: number; count: number; meanPredicted: number | null; observedRate: number | null }[];
  /** The current champion, when it is another version: its record and training-data profile. */
  champion?: { version: ModelVersion; profile: CardProfileColumn[] };
  /** Links (already relative to the API) to the dataset, the pipeline run and the artifact downloads. */
  links: { dataset: string; run: string; artifactJson: string; artifactOnnx: string };
}

/** A value for a table cell: numbers to four places, and a dash (never `null`, `NaN` or `undefined`) for a missing one. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || (typeof value === 'number' && !Number.isFinite(value))) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  return String(value);
}

function table(headers: string[], rows: unknown[][]): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(cellText(c))}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

const ALGORITHMS: Record<ModelVersion['algorithm'], string> = { gbdt: 'histogram gradient-boosted trees', linear: 'linear baseline (regularised logistic / ridge regression)' };

function header(version: ModelVersion, extras: CardExtras): string[] {
  const aliases = extras.aliases.filter((a) => a.version === version.version).map((a) => a.alias);
  const label = labelFacts(version);
  const links = [
    `<a href="${escapeHtml(extras.links.dataset)}">dataset ${escapeHtml(version.lineage.dataset)}</a>`,
    `<a href="${escapeHtml(extras.links.run)}">pipeline run</a>`,
    '<a href="#lineage">lineage</a>',
    `<a href="${escapeHtml(extras.links.artifactJson)}">artifact (JSON)</a>`,
    `<a href="${escapeHtml(extras.links.artifactOnnx)}">ONNX</a>`,
  ];
  return [
    `<h1>${escapeHtml(version.model)} v${version.version}${aliases.length ? ` <span class="alias">${aliases.map(escapeHtml).join(', ')}</span>` : ''}</h1>`,
    `<p>${escapeHtml(version.task)} model, ${escapeHtml(version.algorithm)} (${escapeHtml(ALGORITHMS[version.algorithm] ?? version.algorithm)}), registered ${escapeHtml(version.createdAt)} by ${escapeHtml(version.createdBy)}.</p>`,
    `<p class="links">${links.join(' · ')}</p>`,
    table(['about', 'value'], label),
    ...(version.warnings?.length ? [`<div class="warn">${version.warnings.map((w) => `<p>⚠ ${escapeHtml(w)}</p>`).join('')}</div>`] : []),
  ];
}

function labelFacts(version: ModelVersion): unknown[][] {
  const rows: unknown[][] = [['label', version.label?.column ?? '—']];
  if (version.task === 'binary') rows.push(['positive class', version.label?.positiveClass ?? '1']);
  if (version.task === 'multiclass') rows.push(['classes', version.label?.classes?.join(', ') ?? '—']);
  const threshold = version.decisions?.threshold;
  if (version.task === 'binary') rows.push(['decision threshold', threshold ? `${threshold.value.toFixed(4)} (${threshold.rule})` : '0.5 (fixed)']);
  if (version.decisions) {
    rows.push(['calibration', `${version.decisions.calibration.method}: ${version.decisions.calibration.reason}`]);
    rows.push(['class weights', version.decisions.classWeights.reason]);
    rows.push(['trained on', version.decisions.refit ? version.decisions.refit.reason : 'the fit rows only (not refitted after selection)']);
  }
  return rows;
}

function selection(version: ModelVersion, evaluation: CardEvaluation | undefined): string[] {
  const s = version.selection;
  if (!s) return [];
  const metric = s.metric;
  return [
    '<h2>Candidate selection</h2>',
    `<p>${escapeHtml(s.summary)} (${s.validationRows} validation rows; ${s.higherIsBetter ? 'higher' : 'lower'} is better).</p>`,
    ...(evaluation?.ranking.length ? [table(['candidate', 'family', `validation ${metric}`], evaluation.ranking.map((c) => [c.id, c.kind, c.metrics[metric]]))] : []),
  ];
}

function metrics(version: ModelVersion, extras: CardExtras): string[] {
  const { lineage } = version;
  const champion = extras.evaluation?.champion && extras.evaluation.champion.version !== version.version ? extras.evaluation.champion : undefined;
  const names = Object.keys(version.metrics);
  const headers = ['metric', `v${version.version} (${version.algorithm})`, 'linear baseline', ...(champion ? [`champion v${champion.version}, same rows`] : [])];
  const rows = names.map((m) => [m, version.metrics[m], version.baseline[m], ...(champion ? [champion.metrics[m]] : [])]);
  const accounting = version.accounting;
  return [
    '<h2>Metrics</h2>',
    `<p>Evaluated on the ${lineage.evaluation.kind === 'test-set' ? 'test set' : 'holdout'} (${lineage.evaluation.rows} rows, ${escapeHtml(lineage.evaluation.source)}), as served: calibrated, at the decision threshold.</p>`,
    table(headers, rows),
    ...(accounting
      ? [
          '<h3>Evaluation rows</h3>',
          table(
            ['read', 'scored', 'quarantined', 'duplicates dropped', 'without a usable label', ...(accounting.inTraining ? ['scored repeats', 'scored rows also in training'] : [])],
            [[accounting.read, accounting.scored, accounting.quarantined, accounting.duplicates, accounting.unlabelled, ...(accounting.inTraining ? [accounting.repeats, accounting.inTraining.rows] : [])]],
          ),
          ...(accounting.reasons.length ? [`<ul>${accounting.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`] : ['<p>Every row read was scored.</p>']),
          ...(accounting.notes?.length ? [`<ul class="notes">${accounting.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`] : []),
        ]
      : []),
  ];
}

function plots(report: EvaluationReport, version: ModelVersion): string[] {
  const charts: string[] = [];
  if (report.curves?.length) {
    const multi = report.curves.length > 1;
    const name = (c: { label: string; auc: number }) => (multi ? `${c.label} (${c.auc.toFixed(3)})` : `${c.label} AUC ${c.auc.toFixed(3)}`);
    charts.push(lineChart({ title: multi ? 'ROC, each class against the rest' : `ROC (AUC ${report.curves[0].auc.toFixed(4)})`, x: 'false positive rate', y: 'true positive rate', xRange: [0, 1], yRange: [0, 1], diagonal: true }, report.curves.map((c) => ({ name: name(c), points: c.roc }))));
    charts.push(lineChart({ title: multi ? 'Precision-recall, each class' : 'Precision-recall', x: 'recall', y: 'precision', xRange: [0, 1], yRange: [0, 1] }, report.curves.map((c) => ({ name: name(c), points: c.pr }))));
  }
  if (report.reliability) {
    const bins = (b: EvaluationReport['reliability'] extends infer R ? R extends { before: infer B } ? B : never : never) => b.map((bin) => ({ x: bin.meanPredicted, y: bin.observedRate }));
    const method = version.decisions?.calibration.method ?? 'none';
    const axes = report.task === 'multiclass'
      ? { title: `Top-label reliability before / after calibration (${method})`, x: 'confidence (top-label probability)', y: 'accuracy' }
      : { title: `Reliability before / after calibration (${method})`, x: 'mean predicted probability', y: 'observed rate' };
    charts.push(lineChart({ ...axes, xRange: [0, 1], yRange: [0, 1], diagonal: true }, [
      { name: 'model', points: bins(report.reliability.before) },
      { name: 'calibrated', points: bins(report.reliability.after) },
    ]));
  }
  if (report.confusion) {
    const positive = version.label?.positiveClass ?? '1';
    const classes = report.task === 'binary' ? [`not ${positive}`, positive] : (report.classes ?? report.confusion.map((_, i) => String(i)));
    const threshold = version.decisions?.threshold?.value;
    charts.push(confusionMatrix(report.task === 'binary' && threshold !== undefined ? `Confusion at threshold ${threshold.toFixed(3)}` : 'Confusion matrix', classes, report.confusion));
  }
  if (report.residuals) {
    const { predicted, actual } = report.residuals;
    charts.push(lineChart({ title: 'Predicted vs actual', x: 'predicted', y: 'actual', diagonal: true }, [{ name: 'rows', points: predicted.map((p, i) => ({ x: p, y: actual[i] })) }], { markers: true }));
    charts.push(lineChart({ title: 'Residuals (actual − predicted)', x: 'predicted', y: 'residual', zeroLine: true }, [{ name: 'rows', points: predicted.map((p, i) => ({ x: p, y: actual[i] - p })) }], { markers: true }));
  }
  const top = report.importance.slice(0, 12);
  charts.push(barChart('Mean |contribution| per feature', top.map((f) => ({ label: f.feature, value: f.meanAbsContribution })), report.task === 'binary' || report.task === 'multiclass' ? 'log-odds (raw score) units' : 'target units'));
  const byPermutation = [...report.importance].sort((a, b) => b.permutation - a.permutation).slice(0, 12);
  const scored = report.task === 'binary' ? 'AUC' : report.task === 'multiclass' ? 'log-loss' : 'RMSE';
  charts.push(barChart(`Permutation importance (${scored} change)`, byPermutation.map((f) => ({ label: f.feature, value: f.permutation })), `score drop when the feature is shuffled`));
  if (report.importance.some((f) => f.gain !== undefined)) {
    const byGain = [...report.importance].sort((a, b) => (b.gain ?? 0) - (a.gain ?? 0)).slice(0, 12);
    charts.push(barChart('Split gain', byGain.map((f) => ({ label: f.feature, value: f.gain ?? 0 })), 'loss reduction summed over splits'));
  }
  const perClass = report.perClass ? [table(['class', 'precision', 'recall', 'F1', 'support'], report.perClass.map((c) => [c.label, c.precision, c.recall, c.f1, c.support]))] : [];
  return ['<h2>Plots</h2>', `<div class="plots">${charts.map((c) => `<figure>${c}</figure>`).join('\n')}</div>`, ...(perClass.length ? ['<h3>Per class</h3>', ...perClass] : [])];
}

function legacyExplanations(extras: CardExtras): string[] {
  const out: string[] = [];
  if (extras.importance?.length) out.push('<h2>Feature importance</h2>', table(['feature', 'gain', 'permutation'], extras.importance.map((i) => [i.feature, i.gain, i.permutation])));
  const bins = extras.calibration?.filter((b) => b.count > 0) ?? [];
  if (bins.length) out.push('<h2>Calibration</h2>', table(['bin', 'rows', 'mean predicted', 'observed rate'], bins.map((b) => [`${cellText(b.lower)}-${cellText(b.upper)}`, b.count, b.meanPredicted, b.observedRate])));
  return out;
}

function profileComparison(extras: CardExtras): string[] {
  if (extras.profile.length === 0) return ['<h2>Data profile</h2>', '<p>No profile recorded.</p>'];
  const champion = extras.champion;
  if (!champion) return ['<h2>Data profile</h2>', table(['column', 'type', 'missing', 'summary'], extras.profile.map((c) => [c.name, c.type, `${(c.missingRate * 100).toFixed(1)}%`, c.summary]))];
  const theirs = new Map(champion.profile.map((c) => [c.name, c]));
  return [
    `<h2>Data profile against the champion's (v${champion.version.version})</h2>`,
    table(['column', 'missing (this / champion)', 'this version', `champion v${champion.version.version}`], extras.profile.map((c) => {
      const other = theirs.get(c.name);
      return [c.name, `${(c.missingRate * 100).toFixed(1)}% / ${other ? `${(other.missingRate * 100).toFixed(1)}%` : '—'}`, c.summary, other?.summary ?? 'not in its data'];
    })),
  ];
}

function lineage(version: ModelVersion): string[] {
  const { lineage: l } = version;
  return [
    '<h2 id="lineage">Lineage</h2>',
    table(['field', 'value'], [
      ['dataset', l.dataset], ['dataset sha256', l.datasetSha256], ['contract revision', l.contractRevision],
      ['silver', (l.silverWindow ?? [l.silver]).map((s) => `${s.container}/${s.name}`).join(', ')], ['artifact', `${version.artifact.container}/${version.artifact.name}`],
      ['code version', l.codeVersion], ['seed', l.seed], ['pipeline run', l.pipelineInstanceId],
      ['parameters', Object.entries(l.params).map(([k, v]) => `${k}=${v}`).join(', ')],
    ]),
    '<h3>Trials</h3>',
    table(['trial', 'early-stopping loss', 'rounds kept', 'parameters'], l.trials.map((t) => [t.trial, t.validationLoss, t.bestIteration, Object.entries(t.params).map(([k, v]) => `${k}=${cellText(v)}`).join(', ')])),
  ];
}

/** Renders a model version as a self-contained HTML model card with inline SVG plots (no scripts; every value escaped). */
export function renderModelCard(version: ModelVersion, extras: CardExtras): string {
  const evaluation = extras.evaluation;
  const sections = [
    ...header(version, extras),
    ...selection(version, evaluation),
    ...metrics(version, extras),
    ...(evaluation ? plots(evaluation.report, version) : legacyExplanations(extras)),
    '<h2>Alias decisions</h2>',
    extras.aliases.length
      ? table(['alias', 'version', 'why', 'who', 'at'], extras.aliases.map((a) => [a.alias, `v${a.version}`, a.why, a.who, a.at]))
      : '<p>No alias points at a version of this model.</p>',
    ...profileComparison(extras),
    '<h2>Signature (input schema)</h2>',
    table(['feature', 'kind', 'encoding'], version.signature.map((f) => [f.name, f.kind, f.kind === 'categorical' ? `${f.categories.length} categories` : f.source])),
    ...lineage(version),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(version.model)} v${version.version} model card</title>
<style>body{font:14px system-ui,sans-serif;max-width:1100px;margin:1em auto;padding:0 12px;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}.scroll{overflow-x:auto;max-width:100%}.alias{font-size:60%;background:#eef;padding:2px 6px;border-radius:4px}.warn{background:#fff4e5;border-left:4px solid #f0a020;padding:2px 10px}.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:12px}figure{margin:0;border:1px solid #eee;padding:4px}svg.plot{width:100%;height:auto;display:block}a{color:#1f5fa8}p,li,h1,h2{overflow-wrap:anywhere}</style>
</head><body>
${sections.join('\n')}
</body></html>
`;
}
