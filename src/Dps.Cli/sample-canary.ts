import { generateSample } from '../Dps.Domain/data/sample-generator';
import type { AppClient } from './app-client';

/** Rows per simulated request, and the longest the demo canary may take. */
const REQUEST_ROWS = 400;
const TIMEOUT_MS = 6 * 60_000;

type Json = Record<string, any>;

async function api(client: AppClient, method: string, route: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${client.baseUrl}/api/${route}`, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: { 'x-functions-key': client.key } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

/** One request's worth of the sample: rows to score (label left out) and their true labels. */
function trafficBatch(seed: number, idOffset: number): { rows: Record<string, string>[]; labels: string[] } {
  const sample = generateSample({ rows: REQUEST_ROWS, seed, drift: 0, dataset: 'churn-sample' });
  if (!sample.ok) throw new Error(sample.error);
  const header = sample.value.header;
  const label = header.indexOf('churned');
  const rows: Record<string, string>[] = [];
  const labels: string[] = [];
  for (const cells of sample.value.rows()) {
    cells[0] = String(Number(cells[0]) + idOffset);
    rows.push(Object.fromEntries(header.map((name, i) => [name, cells[i]]).filter((_, i) => i !== label)));
    labels.push(cells[label]);
  }
  return { rows, labels };
}

/**
 * Drives the canary of the sample's challenger to its end with simulated traffic (fresh customers
 * each request) and their true labels as feedback, logging each step; returns the final status.
 */
export async function driveSampleCanary(client: AppClient, model: string, log: (line: string) => void): Promise<Json> {
  const deadline = Date.now() + TIMEOUT_MS;
  let lastStep = 0;
  for (let request = 0; ; request++) {
    const batch = trafficBatch(10_000 + request, 5_000_000 + request * REQUEST_ROWS);
    const scored = await api(client, 'POST', `models/${model}/predict`, { rows: batch.rows });
    if (scored.status !== 200) throw new Error(`predict answered ${scored.status}: ${scored.body.error}`);
    const labels = batch.labels.map((label, row) => ({ requestId: scored.body.requestId as string, row, label }));
    await api(client, 'POST', `models/${model}/feedback`, { labels });
    const status = (await api(client, 'GET', `models/${model}/rollout`)).body;
    if (status.step !== lastStep && status.status === 'running') {
      lastStep = status.step;
      log(`sample canary: v${status.version} at step ${status.step} of ${status.steps.length} (${JSON.stringify(status.weights)})`);
    }
    if (status.status !== 'running') return status;
    if (Date.now() > deadline) throw new Error(`the sample canary did not finish within ${TIMEOUT_MS / 1000} s: ${status.reason}`);
  }
}
