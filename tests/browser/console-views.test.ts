import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
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
let context: BrowserContext;
let runId: string;

/** The sample as CSV; `flip` swaps its yes/no labels, so a model trained on it is worse and stays challenger. */
function sampleBatch(seed: number, idOffset: number, flip: boolean) {
  const sample = generateSample({ rows: 300, seed, drift: 0, dataset: DATASET });
  if (!sample.ok) throw new Error(sample.error);
  let csv = formatCsvRow(sample.value.header) + '\n';
  for (const row of sample.value.rows()) {
    row[0] = String(Number(row[0]) + idOffset);
    csv += formatCsvRow(row) + '\n';
  }
  return { contract: sample.value.contract, csv: flip ? csv.replace(/,(yes|no)$/gm, (_, label: string) => (label === 'yes' ? ',no' : ',yes')) : csv };
}

async function ingest(csv: string): Promise<Record<string, any>> {
  const submitted = await (await app.call('POST', `datasets/${DATASET}/ingest`, csv)).json();
  return eventually(async () => {
    const run = await (await app.call('GET', `pipelines/${submitted.instanceId}`)).json();
    return run.runtimeStatus === 'Completed' ? run : undefined;
  }, 50_000, 200);
}

/**
 * Lands the bundled sample the way `npm start` does (its contract, then a batch), then a worse batch
 * whose model stays challenger, and starts its canary with manual approval and a long bake, so the
 * rollout view has a running rollout to approve and abort. Returns the first run's id.
 */
async function landSample(): Promise<string> {
  const first = sampleBatch(1, 0, false);
  expect((await app.call('PUT', `datasets/${DATASET}/contract`, JSON.stringify(first.contract))).status).toBe(200);
  const run = await ingest(first.csv);
  const worse = await ingest(sampleBatch(2, 100_000, true).csv);
  expect(worse.model).toMatchObject({ version: 2, alias: 'challenger' });
  const started = await app.call('POST', `models/${DATASET}/rollout`, JSON.stringify({ steps: [50, 100], bakeSeconds: 3600, minSamples: 30, approval: 'manual' }));
  expect(started.status).toBe(202);
  await eventually(async () => ((await (await app.call('GET', `models/${DATASET}/rollout`)).json()).status === 'running' ? true : undefined), 20_000, 200);
  return run.instanceId;
}

/** Endpoints that answer 404 for "nothing yet" (no drift windows), which the views show as such. */
const nothingYet = (url: URL, status: number) => status === 404 && /\/api\/models\/[^/]+\/drift$/.test(url.pathname);

describe.skipIf(!executable)('the console in Chromium', () => {
  beforeAll(async () => {
    app = await startApp({ DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false' });
    [runId, { browser, context }] = await Promise.all([landSample(), launchBrowser(executable!)]);
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.host.stop();
  });

  /** Opens a view, waits for the texts it must show, screenshots it, and returns what went wrong. */
  async function view(route: string, mustShow: () => string[]) {
    const { page, problems } = await openRecordedPage(context, nothingYet);
    const calls: string[] = [];
    page.on('request', (request) => {
      const { pathname } = new URL(request.url());
      if (pathname.startsWith('/api/') && !/^\/api\/console(\/(assets|vendor)\/.*)?$/.test(pathname)) calls.push(pathname);
    });
    try {
      await page.goto(`${app.host.baseUrl}/api/console?code=${KEY}#/${route.replace('{run}', runId)}`);
      for (const text of mustShow()) await page.getByText(text, { exact: false }).first().waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => !document.body.innerText.includes('Loading'), undefined, { timeout: 15_000 });
      const failures = await page.locator('.failure').allInnerTexts();
      await page.screenshot({ path: path.join(artifactsDir(), `${route.replace(/[^a-z0-9-]+/gi, '_')}.png`), fullPage: true });
      return { errors: [...problems.errors, ...failures.map((f) => `shown: ${f}`)], calls };
    } finally {
      await page.close();
    }
  }

  // A run's view is named `runs/{id}`: the id is known once the sample has landed.
  const views: [string, () => string[]][] = [
    // The canary started above is work in progress of the flow metrics (read from its rollout instance).
    ['overview', () => ['Value stream', DATASET, 'Error budgets', '· 1 rollouts', 'intact ·']],
    ['datasets', () => [DATASET]],
    [`datasets/${DATASET}`, () => [runId, 'Batches (silver versions)']],
    ['runs', () => [runId, DATASET]],
    ['runs/{run}', () => [runId, 'validate', `${DATASET} v1`]],
    ['models', () => [DATASET]],
    [`models/${DATASET}`, () => ['champion', runId]],
    [`rollouts/${DATASET}`, () => [DATASET, 'running', 'Approve next step', 'challenger traffic']],
    [`drift/${DATASET}`, () => [DATASET]],
    ['finops', () => ['Runs', 'Actions']],
    ['audit', () => ['model.registered', 'Verify the chain']],
  ];
  for (const [route, mustShow] of views) {
    it(`#/${route} loads with no errors and shows the sample`, async () => {
      const { errors, calls } = await view(route, mustShow);
      expect(errors).toEqual([]);
      // The calls view-prefetch.js starts early are the view's own: none is made twice.
      expect(calls.filter((call, i) => calls.indexOf(call) !== i)).toEqual([]);
      // The overview's panels come from one answer, not one call per panel and model.
      if (route === 'overview') expect(calls).toEqual(['/api/console/overview']);
    });
  }

  it('approves and aborts the real rollout from its view', async () => {
    const { page, problems } = await openRecordedPage(context, nothingYet);
    try {
      await page.goto(`${app.host.baseUrl}/api/console?code=${KEY}#/rollouts/${DATASET}`);
      const approve = page.getByRole('button', { name: 'Approve next step' });
      const [approved] = await Promise.all([page.waitForResponse((r) => r.url().includes('/rollout/approve')), approve.click()]);
      expect(approved.status()).toBe(202);
      const audit = async (what: string) => (await (await app.call('GET', `audit/events?type=${what}`)).json()).items.filter((e: any) => e.subjects.model === DATASET);
      expect(await eventually(async () => ((await audit('rollout.approved')).length === 1 ? true : undefined), 20_000, 200)).toBe(true);
      page.once('dialog', (dialog) => void dialog.accept());
      const [aborted] = await Promise.all([page.waitForResponse((r) => r.url().includes('/rollout/abort')), page.getByRole('button', { name: 'Abort' }).click()]);
      expect(aborted.status()).toBe(202);
      await eventually(async () => ((await (await app.call('GET', `models/${DATASET}/rollout`)).json()).status === 'aborted' ? true : undefined), 20_000, 200);
      await page.reload();
      await page.getByText('aborted').first().waitFor({ timeout: 15_000 });
      expect(await page.getByRole('button', { name: 'Abort' }).count()).toBe(0);
      await page.screenshot({ path: path.join(artifactsDir(), 'rollouts_aborted.png'), fullPage: true });
      expect((await audit('rollout.aborted')).length).toBe(1);
      expect(problems.errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
