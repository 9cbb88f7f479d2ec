/**
 * Console benchmark (issue 14 "Measure"): the state after DPS_BENCH_CONSOLE_RUNS (100) pipeline runs,
 * then each view's data load (the API calls the view makes, median of 5; the overview also as the seven
 * calls it made before `GET /api/console/overview`) with its response sizes, as a
 * ratio against the peer measured in the same run: `GET /api/health`, the cheapest call the local host
 * serves. With Chromium (/usr/bin/chromium or DPS_CHROMIUM), also each view's time to first render with
 * its data (a fresh page per view, first load of the page included): until the first panel shows data and
 * until no panel is loading, against the same browser loading GET /api/health, and where the time went
 * (Chromium's performance timeline: page, modules, each API call). Goal: under 1 s per view on 2 cores.
 * Run: npm run bench console
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatCsvRow } from '../src/Dps.Domain/data/csv-writer';
import { generateSample } from '../src/Dps.Domain/data/sample-generator';
import { LocalHost } from '../src/Dps.LocalHost/local-host';
import { loadLocalSettings } from '../src/Dps.LocalHost/local-settings';
import { createStreamLogger } from '../src/Dps.LocalHost/worker/host-logger';

const RUNS = Number(process.env.DPS_BENCH_CONSOLE_RUNS ?? 100);
const REPEATS = 5;
const KEY = 'bench-key';
const root = path.resolve(__dirname, '..', '..');

/** The API calls behind each view (docs/console.md), `{m}`, `{d}` and `{run}` filled in once the state exists. */
const VIEWS: Record<string, string[]> = {
  overview: ['console/overview'],
  // What the overview page called before its one call, for the ratio (the chain check walked every record then).
  'overview-7': ['flow', 'runs?top=1', 'models?top=100', 'models/{m}/rollout', 'models/{m}/drift', 'finops/report', 'audit/verify?full=true'],
  datasets: ['datasets?top=50'],
  dataset: ['datasets/{d}'],
  runs: ['runs?top=25'],
  run: ['pipelines/{run}'],
  models: ['models?top=100'],
  model: ['models/{m}'],
  finops: ['finops/report'],
  audit: ['audit/events?top=50'],
};
// The first view loads every module; the last opens the overview again with them cached, as a second visit does.
const ROUTES: Record<string, string> = { overview: 'overview', datasets: 'datasets', dataset: 'datasets/{d}', runs: 'runs', run: 'runs/{run}', models: 'models', model: 'models/{m}', finops: 'finops', audit: 'audit', 'overview²': 'overview' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function batch(index: number): string {
  const sample = generateSample({ rows: 200, seed: index + 1, drift: 0 });
  if (!sample.ok) throw new Error(sample.error);
  let csv = formatCsvRow(sample.value.header) + '\n';
  for (const row of sample.value.rows()) {
    row[0] = String(Number(row[0]) + index * 1_000_000);
    csv += formatCsvRow(row) + '\n';
  }
  return csv;
}

async function landRuns(base: string, datasets: string[]): Promise<string[]> {
  const ids: string[] = [];
  // A few at a time, as batches arrive on a busy line.
  for (let start = 0; start < RUNS; start += 4) {
    const wave = await Promise.all(Array.from({ length: Math.min(4, RUNS - start) }, async (_, k) => {
      const i = start + k;
      const res = await fetch(`${base}/api/datasets/${datasets[i % datasets.length]}/ingest?label=churned&code=${KEY}`, { method: 'POST', body: batch(i) });
      return ((await res.json()) as { instanceId: string }).instanceId;
    }));
    for (const id of wave) {
      for (;;) {
        const run = (await (await fetch(`${base}/api/pipelines/${id}?code=${KEY}`)).json()) as { runtimeStatus: string };
        if (['Completed', 'Failed', 'Terminated'].includes(run.runtimeStatus)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    ids.push(...wave);
  }
  return ids;
}

async function timeCall(url: string): Promise<{ ms: number; bytes: number; status: number; server: string | null }> {
  const started = performance.now();
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  return { ms: performance.now() - started, bytes: body.length, status: res.status, server: res.headers.get('server-timing') };
}

/** Where a page's time went, from Chromium's performance timeline (ms from navigation start). */
interface PageTiming {
  /** The page's HTML received. */
  htmlMs: number;
  /** The last script module received. */
  codeMs: number;
  /** Each API call: path, start and end, and its parts' times when it sends a Server-Timing header. */
  api: { path: string; startMs: number; endMs: number; server: string }[];
}

/** A view's render: until its first panel shows data, until no panel is loading; and the browser peer. */
interface RenderTimes {
  peerMs: number;
  views: Record<string, { firstMs: number; inPageMs: number; allMs: number; timing: PageTiming }>;
}

async function renderTimes(base: string, fill: (s: string) => string): Promise<RenderTimes | string> {
  const executablePath = [process.env.DPS_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => !!p && existsSync(p));
  if (!executablePath) return 'skipped: no Chromium (install Debian\'s chromium or set DPS_CHROMIUM)';
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true });
  try {
    const context = await browser.newContext();
    // The peer: the same browser loading the cheapest answer of the same host (median of 5).
    const peers: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const page = await context.newPage();
      const started = performance.now();
      await page.goto(`${base}/api/health`);
      peers.push(performance.now() - started);
      await page.close();
    }
    const views: RenderTimes['views'] = {};
    for (const [view, route] of Object.entries(ROUTES)) {
      const page = await context.newPage();
      const started = performance.now();
      // Not waiting for the load event: the first panel may show before every module and stylesheet is in.
      await page.goto(`${base}/api/console?code=${KEY}#/${fill(route)}`, { waitUntil: 'commit' });
      // These run in the page; this file compiles without the DOM library (and the page's CSP forbids string eval).
      type Doc = { querySelector(s: string): { innerText: string } | null; body: { innerText: string } };
      // The page's own clock (ms from navigation start) when the first panel shows data.
      const shown = await page.waitForFunction(() => {
        const first = (globalThis as unknown as { document: Doc }).document.querySelector('main > *');
        return first !== null && !first.innerText.includes('Loading') && (globalThis as unknown as { performance: { now(): number } }).performance.now();
      }, undefined, { timeout: 30_000 });
      const firstMs = performance.now() - started;
      const inPageMs = (await shown.jsonValue()) as number;
      await page.waitForFunction(() => {
        const doc = (globalThis as unknown as { document: Doc }).document;
        return doc.querySelector('main') !== null && !doc.body.innerText.includes('Loading');
      }, undefined, { timeout: 30_000 });
      const allMs = performance.now() - started;
      // Runs in the page, as above.
      type Entry = { name: string; startTime: number; responseEnd: number; serverTiming?: { name: string; duration: number }[] };
      const timing = await page.evaluate(() => {
        const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): Entry[] } }).performance;
        const [nav] = perf.getEntriesByType('navigation');
        const resources = perf.getEntriesByType('resource').map((r) => ({
          path: new URL(r.name).pathname, startMs: r.startTime, endMs: r.responseEnd,
          server: (r.serverTiming ?? []).map((t) => `${t.name} ${t.duration.toFixed(0)}`).join(', '),
        }));
        const code = resources.filter((r) => /^\/api\/console\/(assets|vendor)\//.test(r.path));
        const modules = code.filter((r) => /\.m?js$/.test(r.path));
        return { htmlMs: nav.responseEnd, codeMs: Math.max(0, ...modules.map((r) => r.endMs)), api: resources.filter((r) => !code.includes(r)) };
      });
      views[view] = { firstMs, inPageMs, allMs, timing };
      await page.close();
    }
    return { peerMs: median(peers), views };
  } finally {
    await browser.close();
  }
}

/** Lands the runs, then prints each view's API time and size against GET /api/health, and its render time. */
export async function run(): Promise<void> {
  // The local settings as `npm start` reads them, storage left to the host's in-memory Azurite.
  const { AzureWebJobsStorage: _storage, ...appSettings } = loadLocalSettings(root).values;
  void _storage;
  const host = await LocalHost.start({
    appEntry: path.join(root, 'dist', 'src', 'Dps.Functions', 'index.js'),
    hostJsonPath: path.join(root, 'host.json'),
    port: 0,
    functionKey: KEY,
    logger: createStreamLogger(() => undefined, { invocations: false, userLogs: false }),
    settings: { ...appSettings, DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false', DPS_FINOPS_SCHEDULE: '0 0 0 1 1 *' },
  });
  try {
    const base = host.baseUrl;
    const datasets = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
    const landing = performance.now();
    const ids = await landRuns(base, datasets);
    const runs = (await (await fetch(`${base}/api/runs?top=200&code=${KEY}`)).json()) as { items: { status: string; model?: unknown; errors?: string[] }[] };
    const byStatus = runs.items.reduce<Record<string, number>>((counts, r) => ({ ...counts, [r.status]: (counts[r.status] ?? 0) + 1 }), {});
    const registered = runs.items.filter((r) => r.model).length;
    console.log(`  state: ${RUNS} pipeline runs over ${datasets.length} datasets landed in ${((performance.now() - landing) / 1000).toFixed(0)} s (${JSON.stringify(byStatus)}, ${registered} registered a model)`);
    const failure = runs.items.find((r) => r.status !== 'accepted');
    if (failure) console.log(`  first run not accepted: ${failure.status}: ${(failure.errors ?? []).slice(0, 1).join('')}`);
    const fill = (s: string) => s.replace('{m}', datasets[0]).replace('{d}', datasets[0]).replace('{run}', ids[ids.length - 1]);
    const health: number[] = [];
    for (let i = 0; i < REPEATS * 2; i++) health.push((await timeCall(`${base}/api/health`)).ms);
    const peer = median(health);
    console.log(`  peer GET /api/health: ${peer.toFixed(1)} ms (median of ${REPEATS * 2})`);
    // The first overview after the runs finds no audit checkpoint yet: it walks the whole chain once.
    const first = await timeCall(`${base}/api/console/overview?code=${KEY}`);
    const audit = (await (await fetch(`${base}/api/audit/verify?code=${KEY}`)).json()) as { length: number };
    console.log(`  first overview (no audit checkpoint yet, the chain of ${audit.length} records walked from genesis): ${first.ms.toFixed(0)} ms`);
    for (const [view, calls] of Object.entries(VIEWS)) {
      const rounds: number[] = [];
      const perCall: number[][] = calls.map(() => []);
      let bytes = 0;
      for (let r = 0; r < REPEATS; r++) {
        const started = performance.now();
        const answers = await Promise.all(calls.map((call) => timeCall(`${base}/api/${fill(call)}${call.includes('?') ? '&' : '?'}code=${KEY}`)));
        rounds.push(performance.now() - started);
        answers.forEach((a, k) => perCall[k].push(a.ms));
        bytes = answers.reduce((sum, a) => sum + a.bytes, 0);
        if (r === REPEATS - 1 && answers[0].server) console.log(`            last ${calls[0]}: Server-Timing ${answers[0].server}`);
        const failed = answers.map((a, k) => [calls[k], a.status] as const).filter(([, status]) => status >= 400 && status !== 404);
        if (failed.length > 0) throw new Error(`view ${view}: ${failed.map(([call, status]) => `${call} answered ${status}`).join(', ')}`);
      }
      const ms = median(rounds);
      console.log(`  ${view.padEnd(10)} data: ${ms.toFixed(0).padStart(5)} ms = ${(ms / peer).toFixed(1).padStart(6)} x health; ${(bytes / 1024).toFixed(1).padStart(7)} KB in ${calls.length} calls`);
      if (calls.length > 1) console.log(`            ${calls.map((call, k) => `${call} ${median(perCall[k]).toFixed(0)} ms`).join(', ')}`);
    }
    const renders = await renderTimes(base, fill);
    if (typeof renders === 'string') console.log(`  render: ${renders}`);
    else {
      console.log(`  peer: the browser loading GET /api/health: ${renders.peerMs.toFixed(0)} ms (median of ${REPEATS})`);
      for (const [view, { firstMs, inPageMs, allMs, timing }] of Object.entries(renders.views)) {
        console.log(`  ${view.padEnd(9)} first panel with data: ${firstMs.toFixed(0).padStart(5)} ms = ${(firstMs / renders.peerMs).toFixed(1).padStart(5)} x peer; every panel: ${allMs.toFixed(0).padStart(5)} ms${allMs > 1000 ? '  (over the 1 s goal)' : ''}`);
        const api = timing.api.map((c) => `${c.path.replace('/api/', '')} ${c.startMs.toFixed(0)}-${c.endMs.toFixed(0)}${c.server ? ` (server: ${c.server})` : ''}`).join(', ');
        console.log(`            in the page: first panel at ${inPageMs.toFixed(0)} ms, page ${timing.htmlMs.toFixed(0)} ms, its modules ${timing.codeMs.toFixed(0)} ms; API ${api || 'none'} (ms from navigation)`);
      }
    }
  } finally {
    await host.stop();
  }
}

if (require.main === module) run().catch((error: Error) => {
  console.error(`console bench failed: ${error.message}`);
  process.exitCode = 1;
});
