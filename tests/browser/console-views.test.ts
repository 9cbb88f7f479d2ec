import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { formatCsvRow } from '../../src/Dps.Domain/data/csv-writer';
import { eventually, KEY, startApp } from '../functions/fixtures/app-host';
import { artifactsDir, chromiumExecutable, launchBrowser, openRecordedPage } from './fixtures/console-browser';

const executable = chromiumExecutable();
if (!executable) console.warn('tests/browser skipped: no Chromium found (install Debian\'s chromium, or set DPS_CHROMIUM to its executable)');

const DATASET = 'churn-sample';
let app: Awaited<ReturnType<typeof startApp>>;
let browser: Browser;
let runId: string;

/** Lands the bundled sample the way `npm start` does: its contract, then one batch, and waits for the run. */
async function landSample(): Promise<string> {
  const sample = generateSample({ rows: 400, seed: 1, drift: 0, dataset: DATASET });
  if (!sample.ok) throw new Error(sample.error);
  let csv = formatCsvRow(sample.value.header) + '\n';
  for (const row of sample.value.rows()) csv += formatCsvRow(row) + '\n';
  expect((await app.call('PUT', `datasets/${DATASET}/contract`, JSON.stringify(sample.value.contract))).status).toBe(200);
  const submitted = await (await app.call('POST', `datasets/${DATASET}/ingest`, csv)).json();
  await eventually(async () => {
    const run = await (await app.call('GET', `pipelines/${submitted.instanceId}`)).json();
    return run.runtimeStatus === 'Completed' ? run : undefined;
  }, 50_000, 200);
  return submitted.instanceId;
}

/** Endpoints that answer 404 for "nothing yet" (no rollout, no drift windows), which the views show as such. */
const nothingYet = (url: URL, status: number) => status === 404 && /\/api\/models\/[^/]+\/(rollout|drift)$/.test(url.pathname);

describe.skipIf(!executable)('the console in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ DPS_TRAINING_TRIALS: '2' });
    [runId, browser] = await Promise.all([landSample(), launchBrowser(executable!)]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.host.stop();
  });

  /** Opens a view, waits for the texts it must show, screenshots it, and returns what went wrong. */
  async function view(route: string, mustShow: () => string[]) {
    const { page, problems } = await openRecordedPage(browser, nothingYet);
    try {
      await page.goto(`${app.host.baseUrl}/api/console?code=${KEY}#/${route.replace('{run}', runId)}`);
      for (const text of mustShow()) await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => !document.body.innerText.includes('Loading'), undefined, { timeout: 15_000 });
      const failures = await page.locator('.failure').allInnerTexts();
      await page.screenshot({ path: path.join(artifactsDir(), `${route.replace(/[^a-z0-9-]+/gi, '_') || 'overview'}.png`), fullPage: true });
      return { errors: [...problems.errors, ...failures.map((f) => `shown: ${f}`)] };
    } finally {
      await page.close();
    }
  }

  // A run's view is named `runs/{id}`: the id is known once the sample has landed.
  const views: [string, () => string[]][] = [
    ['overview', () => ['Value stream', DATASET, 'Error budgets']],
    ['datasets', () => [DATASET]],
    [`datasets/${DATASET}`, () => [runId, 'Batches (silver versions)']],
    ['runs', () => [runId, DATASET]],
    ['runs/{run}', () => [runId, 'validate', `${DATASET} v1`]],
    ['models', () => [DATASET]],
    [`models/${DATASET}`, () => ['champion', runId]],
    [`rollouts/${DATASET}`, () => [DATASET]],
    [`drift/${DATASET}`, () => [DATASET]],
    ['finops', () => ['Runs', 'Actions']],
    ['audit', () => ['model.registered', 'Verify the chain']],
  ];
  for (const [route, mustShow] of views) {
    it(`#/${route} loads with no errors and shows the sample`, async () => {
      expect(await view(route, mustShow)).toEqual({ errors: [] });
    });
  }
});
