import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { LOCAL_INVENTORY_TABLE, LocalFinOpsInventory, LocalResource } from '../../src/Dps.Functions/finops/finops-local-inventory';
import type { FinOpsReport } from '../../src/Dps.Domain/finops/finops-report';
import type { ActionRecord, RunRecord } from '../../src/Dps.Domain/finops/run-records';
import { FinOpsStore } from '../../src/Dps.Functions/storage/finops-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { readSettings } from '../../src/Dps.Functions/settings';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { eventually, KEY, startApp } from './fixtures/app-host';

let host: LocalHost;
let logger: Awaited<ReturnType<typeof startApp>>['logger'];
let inventory: LocalFinOpsInventory;
let store: FinOpsStore;
let finopsTable: TableClient;

const GRACE_MS = 1200;
const vm = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dps/providers/Microsoft.Compute/virtualMachines/${name}`;
const site = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dps/providers/Microsoft.Web/sites/${name}`;

// Off (or on) at this hour and the next, so a run now or at the top of the hour always finds one in its window.
function hours(): string {
  const h = new Date().getUTCHours();
  return `[(M-U,${h}),(M-U,${(h + 1) % 24})]`;
}

function inventoryNow(): LocalResource[] {
  const off = `off=${hours()};tz=UTC`;
  return [
    { id: vm('vm-db'), type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': off, 'dps-sequence': '5', 'dps-hourly-cost': '2' } },
    { id: vm('vm-app'), type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': off, 'dps-sequence': '1', 'dps-hourly-cost': '1' } },
    { id: site('app-web'), type: 'Microsoft.Web/sites', state: 'running', tags: { 'DPS-OffHours': off, 'dps-sequence': '1' } },
    { id: vm('vm-broken'), type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': off, 'dps-sequence': '1' }, simulateFailure: 'simulated outage' },
    { id: vm('vm-batch'), type: 'Microsoft.Compute/virtualMachines', state: 'stopped', tags: { 'dps-offhours': `on=${hours()};tz=UTC`, 'dps-stopped-by': 'offhours' } },
    { id: vm('vm-bad-tag'), type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': 'off=(M-F,25)' } },
    { id: vm('vm-unmanaged'), type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: {} },
  ];
}

async function call(method: string, route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${host.baseUrl}/api/${route}${route.includes('?') ? '&' : '?'}code=${KEY}`, { method });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// Starts a run over HTTP and waits for the orchestration to finish.
async function run(dryRun: string): Promise<{ id: string; output: unknown }> {
  const started = await call('POST', `finops/run?dryRun=${dryRun}`);
  expect(started.status).toBe(202);
  const id = String(started.body.id);
  const meta = await host.engine.waitForCompletion(id);
  expect(meta?.status).toBe('Completed');
  return { id, output: meta?.output };
}

async function runRecord(id: string): Promise<RunRecord> {
  const report = (await call('GET', 'finops/report')).body as unknown as FinOpsReport;
  return report.runs.find((r) => r.runId === id) as RunRecord;
}

async function actionsOf(id: string): Promise<Map<string, ActionRecord>> {
  const report = (await call('GET', 'finops/report')).body as unknown as FinOpsReport;
  return new Map(report.actions.filter((a) => a.runId === id).map((a) => [a.id.split('/').at(-1) as string, a]));
}

// The cursor (last real evaluation) gone, so a real run evaluates the hour again.
async function resetCursor(): Promise<void> {
  await finopsTable.deleteEntity('cursor', 'offhours').catch((error: { statusCode?: number }) => {
    if (error.statusCode !== 404) throw error;
  });
}
const states = async () => Object.fromEntries((await inventory.list()).map((r) => [r.id.split('/').at(-1), r.state]));

// A fresh inventory and no cursor: every test that runs the policy starts from here, so tests run alone or in any order.
async function freshStart(): Promise<void> {
  await resetCursor();
  await inventory.replaceAll(inventoryNow());
}

beforeAll(async () => {
  ({ host, logger } = await startApp({ DPS_FINOPS_INVENTORY: 'local', DPS_FINOPS_DRY_RUN: 'false', DPS_FINOPS_GRACE_MINUTES: String(GRACE_MS / 60_000), DPS_FINOPS_HOURLY_COST: '0.5' }));
  const storage = createStorageClients({ connectionString: host.connectionString });
  inventory = new LocalFinOpsInventory(await storage.table(LOCAL_INVENTORY_TABLE));
  finopsTable = await storage.table(readSettings().tables.finops);
  store = new FinOpsStore(finopsTable);
});
afterAll(async () => {
  await host?.stop();
});

describe('FinOps off-hours', () => {
  it('rejects a bad dryRun value with 400 and starts nothing', async () => {
    const before = (await call('GET', 'finops/report')).body.runs as unknown[];
    expect(await call('POST', 'finops/run?dryRun=maybe')).toEqual({ status: 400, body: { error: "dryRun must be true or false, got 'maybe'" } });
    expect((await call('GET', 'finops/report')).body.runs).toEqual(before);
  });

  it('a dry run plans and records what it would do, and changes nothing', async () => {
    await freshStart();
    const before = await inventory.list();
    const { id } = await run('true');
    expect(await inventory.list()).toEqual(before);
    expect(await store.lastEvaluation()).toBeUndefined();
    expect((await store.warnings(new Date().toISOString())).filter((w) => w.runId === id)).toEqual([]);
    const record = await runRecord(id);
    expect(record).toMatchObject({ dryRun: true, status: 'completed', decisions: { stop: 4, start: 1, skip: 1 }, outcomes: { 'dry-run': 5, skipped: 1 } });
    const actions = await actionsOf(id);
    expect(actions.get('vm-bad-tag')).toMatchObject({ outcome: 'skipped', reason: 'dps-offhours: off: hour 25 is out of range 0-23' });
    expect(actions.has('vm-unmanaged')).toBe(false);
  });

  it('a real run warns, waits out the grace period, acts in waves, marks stops and records a failing resource without stopping the others', async () => {
    await freshStart();
    const { id } = await run('false');
    expect(await states()).toEqual({ 'vm-db': 'stopped', 'vm-app': 'stopped', 'app-web': 'stopped', 'vm-broken': 'running', 'vm-batch': 'running', 'vm-bad-tag': 'running' });
    const tags = Object.fromEntries((await inventory.list()).map((r) => [r.id.split('/').at(-1), r.tags]));
    expect(tags['vm-db']['dps-stopped-by']).toBe('offhours');
    expect(tags['app-web']['dps-stopped-by']).toBe('offhours');
    expect(tags['vm-broken']['dps-stopped-by']).toBeUndefined();
    expect(tags['vm-batch']['dps-stopped-by']).toBeUndefined();

    const actions = await actionsOf(id);
    expect(Object.fromEntries([...actions].map(([name, a]) => [name, [a.wave, a.outcome]]))).toEqual({
      'vm-db': [1, 'stopped'], 'vm-app': [2, 'stopped'], 'app-web': [2, 'stopped'], 'vm-broken': [2, 'failed'], 'vm-batch': [3, 'started'], 'vm-bad-tag': [0, 'skipped'],
    });
    expect(actions.get('vm-broken')?.error).toContain('simulated outage');
    const actedAt = (name: string) => Date.parse(actions.get(name)?.actedAt as string);
    expect(actedAt('vm-db')).toBeLessThanOrEqual(Math.min(actedAt('vm-app'), actedAt('app-web')));
    expect(Math.max(actedAt('vm-app'), actedAt('app-web'))).toBeLessThanOrEqual(actedAt('vm-batch'));

    const record = await runRecord(id);
    const warnings = (await store.warnings(record.at)).filter((w) => w.runId === id);
    expect(warnings.map((w) => w.id.split('/').at(-1)).sort()).toEqual(['app-web', 'vm-app', 'vm-broken', 'vm-db']);
    expect(actedAt('vm-db') - Date.parse(warnings[0].warnedAt)).toBeGreaterThanOrEqual(GRACE_MS);
    // No `on` in the next week: 168 h at 2 (tag), 1 (tag) and 0.5 (setting) per hour.
    expect(record).toMatchObject({ status: 'completed', outcomes: { stopped: 3, started: 1, failed: 1, skipped: 1 }, savings: 168 * 3.5 });
    expect(await store.lastEvaluation()).toBe(record.at);
  });

  it('the timer acts once per hour: a second firing in the same hour starts nothing', async () => {
    await freshStart();
    const timerRuns = () => logger.lines.filter((line) => line.startsWith('[finopsOffHoursTimer]'));
    const fire = async () => {
      const seen = timerRuns().length;
      expect((await fetch(`${host.baseUrl}/admin/functions/finopsOffHoursTimer?code=${KEY}`, { method: 'POST', body: '{}' })).status).toBe(202);
      return eventually(async () => timerRuns()[seen]);
    };
    const first = await fire();
    const id = /off-hours run (finops-\d{4}-\d\d-\d\dT\d\d) started/.exec(first)?.[1] as string;
    expect((await host.engine.waitForCompletion(id))?.status).toBe('Completed');
    expect((await states())['vm-db']).toBe('stopped');
    // Started by hand after the run: a second evaluation of the same hour must leave it alone.
    await inventory.start((await inventory.get(vm('vm-db'))) as LocalResource);
    expect(await fire()).toContain(`off-hours run ${id} is already Completed: nothing to start`);
    expect((await states())['vm-db']).toBe('running');
    expect(await runRecord(id)).toMatchObject({ trigger: 'timer', requestedBy: 'dps-finops-timer', at: `${id.slice(7)}:00:00.000Z`, outcomes: { stopped: 3, started: 1, failed: 1 } });
  });

  it('reports runs, actions and the savings of the month', async () => {
    const before = (await call('GET', 'finops/report')).body as unknown as FinOpsReport;
    await freshStart();
    const dry = await run('true');
    const real = await run('false');
    const report = (await call('GET', 'finops/report')).body as unknown as FinOpsReport;
    expect(report.month).toBe(new Date().toISOString().slice(0, 7));
    const grew = (after: FinOpsReport['savingsMonthToDate'], was: FinOpsReport['savingsMonthToDate']) => ({ amount: after.amount - was.amount, stops: after.stops - was.stops });
    expect(grew(report.savingsMonthToDate, before.savingsMonthToDate)).toEqual({ amount: 168 * 3.5, stops: 3 });
    expect(grew(report.dryRunSavingsMonthToDate, before.dryRunSavingsMonthToDate)).toEqual({ amount: 168 * 3.5 + 168 * 0.5, stops: 4 });
    expect(report.runs.slice(0, 2).map((r) => [r.runId, r.dryRun])).toEqual([[real.id, false], [dry.id, true]]);
  });

  it('records every action of a run as an audit event in the chain', async () => {
    await freshStart();
    const { id } = await run('false');
    const audit = await openAuditStore(createStorageClients({ connectionString: host.connectionString }), readSettings());
    const events = await eventually(async () => {
      const found = (await audit.chain.readChain()).records.map((r) => r.event).filter((e) => e.where.instanceId === id);
      return found.some((e) => e.what === 'finops.offhours.run') ? found : undefined;
    });
    const count = (what: string, outcome: string) => events.filter((e) => e.what === what && e.outcome === outcome).length;
    expect(count('finops.offhours.stop', 'stopped')).toBe(3);
    expect(count('finops.offhours.stop', 'failed')).toBe(1);
    expect(count('finops.offhours.start', 'started')).toBe(1);
    expect(count('finops.offhours.warning', 'warned')).toBe(4);
    expect(count('finops.offhours.run-requested', 'accepted')).toBe(1);
    expect(events.find((e) => e.outcome === 'failed')?.why).toContain('simulated outage');
    expect((await call('GET', 'audit/verify')).body).toMatchObject({ ok: true });
  });
});
