import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { formatCsvRow } from '../../Dps.Domain/data/csv-writer';
import { generateSample } from '../../Dps.Domain/data/sample-generator';

/** One step of the loop as it happened: when (ms since the start), what, and the evidence. */
export interface LoopStep {
  step: string;
  atMs: number;
  detail: string;
}

/** `promote`: the challenger earns its traffic; `rollback`: simulated feedback proves it wrong and it is rolled back. */
export type LoopScenario = 'promote' | 'rollback';

/** How the loop was driven: model name, traffic sizes and the time it may take. */
export interface LoopOptions {
  model: string;
  scenario: LoopScenario;
  landRows: number;
  /** Rows per predict request while waiting for the drift verdict, and during the canary (smaller, so labels keep up with samples). */
  requestRows: number;
  canaryRows: number;
  drift: number;
  timeoutMs: number;
  onStep?: (step: LoopStep) => void;
}

/** What the loop ended with. */
export interface LoopResult {
  scenario: LoopScenario;
  ok: boolean;
  steps: LoopStep[];
  champion: { before: number; after: number };
  challenger?: number;
  rollout?: Record<string, unknown>;
  audit?: Record<string, unknown>;
  /** What the audit chain recorded, oldest first. */
  trail?: string[];
  error?: string;
}

/** The app's HTTP API, called with its function key. */
export type CallApi = (method: string, route: string, body?: string, contentType?: string) => Promise<{ status: number; body: any }>;

/** A sample batch: the labelled CSV to land, the rows to score (typed JSON, label left out) and their labels (for simulated feedback). */
function sampleBatch(rows: number, seed: number, drift: number, idOffset: number): { labelled: string; scoring: string; labels: string[] } {
  const sample = generateSample({ rows, seed, drift });
  if (!sample.ok) throw new Error(sample.error);
  const { header, contract } = sample.value;
  const label = header.indexOf('churned');
  const types = header.map((name) => contract.columns.find((c) => c.name === name)?.type);
  const typed = (text: string, i: number): TypedValue => {
    if (text === '' || contract.missingValues.includes(text)) return null;
    if (types[i] === 'integer' || types[i] === 'number') return Number(text);
    return types[i] === 'boolean' ? text === 'true' : text;
  };
  let labelled = formatCsvRow(header) + '\n';
  const scoring: Record<string, TypedValue>[] = [];
  const labels: string[] = [];
  for (const cells of sample.value.rows()) {
    cells[0] = String(Number(cells[0]) + idOffset);
    labelled += formatCsvRow(cells) + '\n';
    scoring.push(Object.fromEntries(header.map((name, i) => [name, typed(cells[i], i)]).filter((_, i) => i !== label)));
    labels.push(cells[label]);
  }
  return { labelled, scoring: JSON.stringify({ rows: scoring }), labels };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The closed loop over the HTTP API only, no human step: land a labelled sample (champion), send
 * drifted traffic through predict until the drift monitor's verdict, wait for `retrain-{model}` to
 * register a challenger and its canary to start, keep traffic and simulated feedback (the sample's own
 * labels; in `rollback` the challenger's rows get the opposite label) flowing until the rollout ends,
 * then verify the audit chain.
 */
export async function runClosedLoop(api: CallApi, options: LoopOptions): Promise<LoopResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const { model } = options;
  const steps: LoopStep[] = [];
  const step = (name: string, detail: string) => {
    const s = { step: name, atMs: Date.now() - started, detail };
    steps.push(s);
    options.onStep?.(s);
  };
  const result: LoopResult = { scenario: options.scenario, ok: false, steps, champion: { before: 0, after: 0 } };
  const expectStatus = (r: { status: number; body: any }, what: string, ...ok: number[]) => {
    if (!ok.includes(r.status)) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, pause = 200): Promise<T> => {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`);
      await sleep(pause);
    }
  };
  let batch = 0;
  /** One request of drifted traffic, then its simulated feedback. */
  const traffic = async (challenger?: number) => {
    const rows = challenger === undefined ? options.requestRows : options.canaryRows;
    const sent = sampleBatch(rows, 1000 + batch, options.drift, 1_000_000 + batch * options.requestRows);
    batch++;
    const answer = expectStatus(await api('POST', `models/${model}/predict`, sent.scoring, 'application/json'), 'predict', 200);
    const labels = (answer.predictions as { version: number }[]).map((p, row) => {
      const truth = sent.labels[row];
      const flipped = options.scenario === 'rollback' && challenger !== undefined && p.version === challenger;
      return { requestId: answer.requestId as string, row, label: flipped ? (truth === 'yes' ? 'no' : 'yes') : truth };
    });
    expectStatus(await api('POST', `models/${model}/feedback`, JSON.stringify({ labels })), 'feedback', 200);
  };
  try {
    const land = sampleBatch(options.landRows, 1, 0, 0);
    const submitted = expectStatus(await api('POST', `datasets/${model}/ingest?label=churned`, land.labelled, 'text/csv'), 'ingest', 200, 202);
    const run = await until('the first pipeline run', async () => {
      const r = await api('GET', `pipelines/${submitted.instanceId}`);
      if (r.body.runtimeStatus === 'Failed') throw new Error(`pipeline failed: ${(r.body.errors ?? []).join('; ')}`);
      return r.body.runtimeStatus === 'Completed' ? r.body : undefined;
    });
    if (!run.model) throw new Error(`the sample did not yield a model: ${(run.errors ?? []).join('; ')}`);
    result.champion.before = run.model.version;
    step('champion', `${model} v${run.model.version} trained on ${run.rows.accepted} rows (auc ${Number(run.model.metrics.auc).toFixed(3)})`);

    const verdict = await until('a drift verdict', async () => {
      await traffic();
      const r = await api('GET', `models/${model}/drift`);
      return r.status === 200 && r.body.status === 'drift' ? r.body : undefined;
    }, 0);
    const last = verdict.windows[verdict.windows.length - 1];
    step('drift', `drift since row ${verdict.since}: ${last.drifted} of ${last.evaluated} features drifted (${last.features.filter((f: { drift: boolean }) => f.drift).map((f: { name: string }) => f.name).join(', ')})`);

    const retrain = await until('the retrain', async () => {
      const r = await api('GET', `models/${model}/retrain`);
      if (r.body?.runtimeStatus === 'Failed') throw new Error(`retrain failed: ${JSON.stringify(r.body.output)}`);
      return r.body?.runtimeStatus === 'Completed' ? r.body.output : undefined;
    });
    if (retrain.outcome !== 'trained') throw new Error(`the retrain did not train: ${retrain.decisions.map((d: { reason: string }) => d.reason).join('; ')}`);
    result.challenger = retrain.trained.version;
    step('challenger', `retrain-${model} trained v${retrain.trained.version} on silver versions ${retrain.window.versions.join(', ')} (${retrain.trigger.kind} trigger), registered as ${retrain.trained.alias}`);

    const rollout = await until('the rollout to end', async () => {
      const r = await api('GET', `models/${model}/rollout`);
      if (r.status === 200 && r.body.version === result.challenger && r.body.status !== 'running') return r.body;
      await traffic(result.challenger);
      return undefined;
    }, 0);
    result.rollout = rollout;
    step('rollout', `rollout of v${rollout.version} ${rollout.status} at step ${rollout.step}; gates: ${(rollout.gates ?? []).map((g: { name: string; passed: boolean }) => `${g.name} ${g.passed ? 'passed' : 'failed'}`).join(', ')}`);

    const models = expectStatus(await api('GET', `models/${model}`), 'GET model', 200);
    result.champion.after = models.aliases.champion.version;
    const expected = options.scenario === 'promote' ? 'promoted' : 'rolledBack';
    // The audit writer chains events as they arrive: wait for the rollout's last one, then verify the chain.
    result.trail = await until('the audit trail', async () => {
      const page = expectStatus(await api('GET', 'audit/events?top=200'), 'audit events', 200);
      const whats = (page.items as { what: string }[]).map((e) => e.what).reverse();
      return whats.includes(`rollout.${expected}`) ? whats : undefined;
    });
    const audit = expectStatus(await api('GET', 'audit/verify'), 'audit verify', 200);
    result.audit = audit;
    step('audit', `chain ${audit.ok === false ? 'BROKEN' : 'verified'} (${audit.length} events): ${[...new Set(result.trail)].join(', ')}`);
    result.ok = rollout.status === expected && audit.ok !== false;
    if (!result.ok) result.error = `expected the rollout to end ${expected}, it ended ${rollout.status}`;
  } catch (error) {
    result.error = (error as Error).message;
  }
  return result;
}
