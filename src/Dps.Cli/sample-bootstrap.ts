import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatCsvRow } from '../Dps.Domain/data/csv-writer';
import { generateSample } from '../Dps.Domain/data/sample-generator';
import { AppClient } from './app-client';
import { driveSampleCanary } from './sample-canary';

const MARKER = 'sample-bootstrapped';
const SAMPLE_ROWS = 2000;
/** The challenger learns from twice as many rows of the same population. */
const CHALLENGER_ROWS = 4000;

/**
 * On a fresh state directory, lands the bundled synthetic sample (dataset `churn-sample`, with its
 * contract) once, so a newcomer's first `npm start` shows a completed pipeline and a registered model,
 * then a challenger and its finished canary rollout.
 */
export async function bootstrapSample(client: AppClient, stateDir: string, log: (line: string) => void): Promise<void> {
  const marker = path.join(stateDir, MARKER);
  if (existsSync(marker)) return;
  const sample = generateSample({ rows: SAMPLE_ROWS, seed: 1, drift: 0, dataset: 'churn-sample' });
  if (!sample.ok) throw new Error(sample.error);
  let csv = formatCsvRow(sample.value.header) + '\n';
  for (const row of sample.value.rows()) csv += formatCsvRow(row) + '\n';
  await client.putContract('churn-sample', sample.value.contract);
  const submitted = await client.ingest('churn-sample', Buffer.from(csv, 'utf8'));
  writeFileSync(marker, `${new Date().toISOString()} ${submitted.instanceId}\n`);
  log(`landed the bundled sample (${SAMPLE_ROWS} rows) as dataset 'churn-sample': pipeline ${submitted.instanceId}`);
  const view = await client.waitForPipeline(submitted.instanceId, () => undefined, 500);
  const model = view.model ? `; model ${view.model.name} v${view.model.version} auc ${view.model.metrics.auc?.toFixed(3)}` : '';
  log(`sample pipeline ${view.status ?? view.runtimeStatus}: ${view.rows?.accepted ?? 0} of ${view.rows?.read ?? 0} rows accepted${model}`);
  if (!view.model) return;
  await canary(client, log);
}

/**
 * A second, larger batch of the same population trains a challenger, whose canary (started by the
 * pipeline when DPS_ROLLOUT_AUTO is on; local settings bake each step briefly) is driven to its end
 * with simulated traffic and feedback: two versions, the traffic steps and the decision in the audit chain.
 */
async function canary(client: AppClient, log: (line: string) => void): Promise<void> {
  const sample = generateSample({ rows: CHALLENGER_ROWS, seed: 2, drift: 0, dataset: 'churn-sample' });
  if (!sample.ok) throw new Error(sample.error);
  let csv = formatCsvRow(sample.value.header) + '\n';
  for (const row of sample.value.rows()) {
    row[0] = String(Number(row[0]) + 1_000_000);
    csv += formatCsvRow(row) + '\n';
  }
  const submitted = await client.ingest('churn-sample', Buffer.from(csv, 'utf8'));
  const view = await client.waitForPipeline(submitted.instanceId, () => undefined, 500);
  const rollout = (view as { rollout?: { started: boolean; reason: string } }).rollout;
  if (!view.model || !rollout?.started) {
    log(`sample challenger: ${view.model ? `v${view.model.version} registered as ${view.model.alias}` : 'not trained'}; no canary (${rollout?.reason ?? 'no rollout started'})`);
    return;
  }
  log(`sample challenger v${view.model.version} registered; its canary rollout-churn-sample runs with simulated traffic and feedback`);
  const end = await driveSampleCanary(client, 'churn-sample', log);
  log(`sample canary ${end.status}: ${end.reason} (GET /api/models/churn-sample/rollout)`);
}
