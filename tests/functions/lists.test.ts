import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, KEY, sampleCsv, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;
const runs: Record<string, string> = {};

async function land(dataset: string, csv: string, label?: string): Promise<string> {
  const submitted = await (await app.call('POST', `datasets/${dataset}/ingest${label ? `?label=${label}` : ''}`, csv)).json();
  await eventually(async () => {
    const run = await (await app.call('GET', `pipelines/${submitted.instanceId}`)).json();
    return run.runtimeStatus === 'Completed' ? run : undefined;
  }, 50_000, 100);
  return submitted.instanceId;
}

const get = async (route: string) => {
  const res = await app.call('GET', route);
  return { status: res.status, body: await res.json() };
};

/** Follows continuation tokens from `route` and returns every page's items. */
async function allPages(route: string): Promise<unknown[][]> {
  const pages: unknown[][] = [];
  let token: string | null = null;
  do {
    const { status, body } = await get(`${route}${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
    expect(status, route).toBe(200);
    pages.push(body.items);
    token = body.continuationToken;
  } while (token && pages.length < 20);
  return pages;
}

beforeAll(async () => {
  app = await startApp({ DPS_TRAINING_TRIALS: '1' });
  // One after another, so newest-first has one answer: alpha, beta (no label: no model), alpha again.
  runs.alpha1 = await land('alpha', sampleCsv(150, 1), 'churned');
  runs.beta1 = await land('beta', sampleCsv(120, 2));
  runs.alpha2 = await land('alpha', sampleCsv(150, 3, 0, 100_000));
}, 120_000);
afterAll(async () => {
  await app?.host.stop();
});

describe('GET /api/runs', () => {
  it('lists runs newest first, each with its landing time and a timeline whose lead time is value-add plus wait', async () => {
    const { status, body } = await get('runs');
    expect(status).toBe(200);
    expect(body.items.map((r: { instanceId: string }) => r.instanceId)).toEqual([runs.alpha2, runs.beta1, runs.alpha1]);
    for (const run of body.items) {
      expect(Date.parse(run.landedAt)).toBeLessThanOrEqual(Date.parse(run.stages[0].startedAt));
      const { leadMs, valueAddMs, waitMs, startMs } = run.flow.finished;
      expect(valueAddMs + waitMs).toBe(leadMs);
      expect(startMs).toBe(Date.parse(run.landedAt));
    }
    expect(body.continuationToken).toBeNull();
  });

  it('filters by dataset and status and pages by continuation token', async () => {
    const pages = await allPages('runs?dataset=alpha&top=1');
    expect(pages.flat().map((r) => (r as { instanceId: string }).instanceId)).toEqual([runs.alpha2, runs.alpha1]);
    expect(pages[0]).toHaveLength(1);
    expect((await get('runs?status=rejected')).body.items).toEqual([]);
    expect((await get('runs?status=accepted&dataset=beta')).body.items.map((r: { instanceId: string }) => r.instanceId)).toEqual([runs.beta1]);
  });

  it('refuses a bad status, page size or token, naming the parameter', async () => {
    expect(await get('runs?status=done')).toEqual({ status: 400, body: { error: "status must be one of running, accepted, rejected, failed, got 'done'" } });
    expect(await get('runs?top=0')).toEqual({ status: 400, body: { error: "top must be a whole number from 1 to 200, got '0'" } });
    const bad = await get('runs?continuationToken=not-a-token');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^continuationToken 'not-a-token' is not one this list gave out/);
  });
});

describe('GET /api/datasets and /api/models', () => {
  it('lists datasets by name with their contract, row totals and latest run, one page at a time', async () => {
    const pages = await allPages('datasets?top=1');
    const items = pages.flat() as Record<string, any>[];
    expect(items.map((d) => d.dataset)).toEqual(['alpha', 'beta']);
    expect(items[0]).toMatchObject({ contract: { revision: 1, origin: 'inferred', label: 'churned' }, silverVersions: 2, lastRun: { instanceId: runs.alpha2, status: 'accepted' } });
    expect(items[0].rows.read).toBe(300);
    expect(items[0].rows.accepted + items[0].rows.quarantined + items[0].rows.duplicates).toBe(300);
    expect(items[1]).toMatchObject({ contract: { label: null }, silverVersions: 1, lastRun: { instanceId: runs.beta1 } });
  });

  it('lists registered models with their latest version, aliases and the champion\'s metrics', async () => {
    const { status, body } = await get('models');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(1);
    const [alpha] = body.items;
    expect(alpha).toMatchObject({ model: 'alpha', task: 'binary', latestVersion: 2 });
    expect(alpha.aliases.champion.version).toBe(alpha.champion.version);
    expect(alpha.champion.metrics.auc).toBeGreaterThan(0);
  });
});

describe('GET /api/audit/events', () => {
  it('lists events newest first, by type or dotted prefix, in a time window, page by page', async () => {
    const finished = (await allPages('audit/events?type=pipeline.finished&top=2')).flat() as Record<string, any>[];
    expect(finished.map((e) => e.where.instanceId)).toEqual([runs.alpha2, runs.beta1, runs.alpha1]);
    expect(finished.map((e) => e.seq)).toEqual([...finished.map((e) => e.seq)].sort((a, b) => b - a));
    const model = (await get('audit/events?type=model')).body.items as Record<string, any>[];
    expect(model.length).toBeGreaterThanOrEqual(2);
    expect(model.every((e) => e.what.startsWith('model.'))).toBe(true);
    expect(model.some((e) => e.what === 'model.registered')).toBe(true);
    expect((await get('audit/events?from=2999-01-01')).body).toEqual({ items: [], continuationToken: null });
    expect((await get('audit/events?to=yesterday')).status).toBe(400);
  });
});

describe('structured logs of a run', () => {
  it('carry the invocation, the run, its dataset and the model version it registered as one JSON object', () => {
    const json = (prefix: string) => app.logger.lines.filter((l) => l.startsWith(prefix)).map((l) => JSON.parse(l.slice(l.indexOf('{'))));
    const recorded = json('[pipelineRecordRun]').find((e) => e.instanceId === runs.alpha2);
    expect(recorded).toMatchObject({ level: 'info', message: 'pipeline run recorded', function: 'pipelineRecordRun', dataset: 'alpha', model: 'alpha', version: 2, status: 'accepted' });
    expect(typeof recorded.invocationId).toBe('string');
    expect(recorded.leadTimeMs).toBeGreaterThan(0);
    const validated = json('[pipelineValidateBatch]').find((e) => e.instanceId === runs.beta1);
    expect(validated).toMatchObject({ message: 'batch validated', dataset: 'beta', read: 120 });
    expect(validated.accepted + validated.quarantined + validated.duplicates).toBe(120);
  });
});

describe('GET /api/flow and the weekly PDCA report', () => {
  it('measures the runs: lead time is value-add plus wait, per dataset and overall', async () => {
    const { status, body } = await get('flow?days=1');
    expect(status).toBe(200);
    expect(body.overall.throughput).toMatchObject({ finished: 3, accepted: 3, registered: 2 });
    const { leadMs, valueAddMs, waitMs } = body.overall.flowEfficiency;
    expect(valueAddMs + waitMs).toBe(leadMs);
    expect(body.datasets.map((d: { dataset: string }) => d.dataset).sort()).toEqual(['alpha', 'beta']);
    expect(body.overall.cost).toMatchObject({ estimate: true, currency: 'USD', runs: 3 });
    expect(body.slo.map((b: { slo: string }) => b.slo)).toEqual(expect.arrayContaining(['pipeline-lead-time-p95', 'availability']));
    expect((await get('flow?days=0')).status).toBe(400);
  });

  it('renders the PDCA page on demand and writes the weekly one to reports from its timer', async () => {
    const page = await app.call('GET', 'flow/report?days=1');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Weekly PDCA report');
    expect(html).toContain('<td>alpha</td>');
    expect((await fetch(`${app.host.baseUrl}/admin/functions/flowPdcaReportTimer?code=${KEY}`, { method: 'POST', body: '{}' })).status).toBe(202);
    const today = new Date().toISOString().slice(0, 10);
    const written = await eventually(() => app.host.storage.readBlob(`reports/flow/pdca-${today}.html`), 20_000, 100);
    expect(written.toString('utf8')).toContain('Plan: the objectives');
  });
});
