import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatCsvRow } from '../Dps.Domain/data/csv-writer';
import { generateSample } from '../Dps.Domain/data/sample-generator';
import { AppClient } from './app-client';

const MARKER = 'sample-bootstrapped';
const SAMPLE_ROWS = 2000;

/**
 * On a fresh state directory, lands the bundled synthetic sample (dataset `churn-sample`, with its
 * contract) once, so a newcomer's first `npm start` shows a completed pipeline and a registered model.
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
}
