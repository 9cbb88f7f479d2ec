import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAuditEvents } from '../../src/Dps.Functions/audit/chain-appender';
import { checkStoredChain } from '../../src/Dps.Functions/audit/chain-verification';
import { AuditStore, openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { readSettings } from '../../src/Dps.Functions/settings';
import { startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

const get = async (route: string) => {
  const res = await app.call('GET', route);
  return { status: res.status, body: (await res.json()) as Record<string, any>, timing: res.headers.get('server-timing') ?? '' };
};

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.host.stop();
});

describe('GET /api/console/overview', () => {
  it('answers what the overview panels read from five endpoints, in one call with bounded parts', async () => {
    const window = 'from=2026-01-01T00:00:00.000Z&to=2026-02-01T00:00:00.000Z';
    const [overview, flow, runs, models, finops] = await Promise.all([
      get(`console/overview?${window}`), get(`flow?${window}`), get('runs?top=1'), get('models?top=20'), get('finops/report'),
    ]);
    expect(overview.status).toBe(200);
    expect(overview.timing.split(', ').map((t) => t.split(';')[0]).sort()).toEqual(['audit', 'finops', 'flow', 'lastRun', 'models']);
    const body = overview.body;
    // The flow report without its per-dataset and per-model lists, which grow with the line.
    expect(body.flow).toEqual({ window: flow.body.window, overall: flow.body.overall, slo: flow.body.slo });
    expect(body.lastRun).toEqual(runs.body.items[0] ?? null);
    expect(body.models).toEqual({ items: models.body.items.map((m: { model: string }) => ({ model: m.model, rollout: null, drift: null })), continuationToken: null });
    expect(body.finops).toEqual({ month: finops.body.month, savingsMonthToDate: finops.body.savingsMonthToDate });
    expect(body.audit).toMatchObject({ ok: true, checked: { scope: expect.stringMatching(/^(full|checkpoint)$/) } });
  });

  it('refuses a bad page size, page token or window with a 400 naming the parameter', async () => {
    expect(await get('console/overview?top=0')).toMatchObject({ status: 400, body: { error: expect.stringContaining('top') } });
    expect(await get('console/overview?continuationToken=not-ours')).toMatchObject({ status: 400, body: { error: expect.stringContaining('continuationToken') } });
    expect(await get('console/overview?days=-3')).toMatchObject({ status: 400, body: { error: expect.stringContaining('days') } });
  });

  it('needs the function key', async () => {
    expect((await fetch(`${app.host.baseUrl}/api/console/overview`)).status).toBe(401);
  });
});

describe('audit chain checked from its checkpoint', () => {
  let store: AuditStore;
  let n = 0;
  const event = (why = 'because the test says so') => ({
    id: `cp-${++n}`, who: 'tester', what: 'test.decision', when: '2026-01-01T00:00:00.000Z', where: { function: 'test' }, outcome: 'accepted', why, subjects: ['s1'],
  });
  // What the audit writer does for a batch: commit, copy to the segments, anchor the new head.
  const write = async (count: number) => {
    const outcome = await appendAuditEvents(store.chain, Array.from({ length: count }, () => event()));
    expect(outcome.rejected).toEqual([]);
    await store.segments.sync();
    await store.anchors.write((await store.chain.readHead()).head, new Date().toISOString());
    return outcome.appended;
  };
  const row = (seq: number) => store.chain.table.getEntity<Record<string, unknown>>('chain', `r-${String(seq).padStart(12, '0')}`);
  const strip = ({ etag: _etag, timestamp: _ts, ...rest }: Record<string, unknown>) => rest as { partitionKey: string; rowKey: string; event: string };
  const check = (full = false) => checkStoredChain(store, new Date(), { full });

  beforeAll(async () => {
    // A trail of its own (table and container), so the app's writer and the other tests never touch it.
    const settings = readSettings();
    store = await openAuditStore(createStorageClients({ connectionString: app.host.connectionString }), { ...settings, tables: { ...settings.tables, audit: 'auditcheckpoint' }, containers: { ...settings.containers, audit: 'audit-checkpoint' } });
  });

  it('reads only the records after the checkpoint once a check has held, and keeps the last full check', async () => {
    await write(5);
    const first = await check(true);
    expect(first).toMatchObject({ ok: true, length: 5, headSeq: 5, checked: { scope: 'full', fromSeq: 0, lastFull: { seq: 5 } } });
    await write(3);
    const next = await check();
    expect(next).toMatchObject({ ok: true, length: 8, headSeq: 8, segments: { records: 8, pending: 0 }, checked: { scope: 'checkpoint', fromSeq: 5, lastFull: first.ok ? first.checked.lastFull : {} } });
    expect(await check()).toMatchObject({ ok: true, length: 8, checked: { scope: 'checkpoint', fromSeq: 8 } });
  });

  it('finds a record edited after the checkpoint, and one before it with the full check', async () => {
    await write(2);
    expect(await check()).toMatchObject({ ok: true });
    const [late] = await write(2);
    const original = strip(await row(late.seq));
    await store.chain.table.updateEntity({ ...original, event: original.event.replace('because the test says so', 'nothing happened') }, 'Replace');
    expect(await check()).toMatchObject({ ok: false, brokenAt: late.seq, tampering: 'rewritten' });
    await store.chain.table.updateEntity(original, 'Replace');

    const early = strip(await row(2));
    await store.chain.table.updateEntity({ ...early, event: early.event.replace('because the test says so', 'nothing happened') }, 'Replace');
    // Before the checkpoint an edit in place leaves everything the short check reads alone: the full check finds it.
    expect(await check(true)).toMatchObject({ ok: false, brokenAt: 2, tampering: 'rewritten', detectedBy: 'segments' });
    await store.chain.table.updateEntity(early, 'Replace');
    expect(await check(true)).toMatchObject({ ok: true, checked: { scope: 'full' } });
  });

  it('falls back to the full check when records are cut off below the checkpoint, and names it', async () => {
    await write(2);
    const held = await check();
    if (!held.ok) throw new Error('the chain should hold');
    const [last, beforeLast] = [strip(await row(held.headSeq)), strip(await row(held.headSeq - 1))];
    const head = strip(await store.chain.table.getEntity('chain', 'head'));
    await store.chain.table.deleteEntity('chain', last.rowKey);
    await store.chain.table.updateEntity({ ...head, seq: held.headSeq - 1, hash: (beforeLast as Record<string, unknown>).hash }, 'Replace');
    expect(await check()).toMatchObject({ ok: false, brokenAt: held.headSeq, tampering: 'truncated', detectedBy: 'segments' });
    await store.chain.table.createEntity(last);
    await store.chain.table.updateEntity(head, 'Replace');
    expect(await check()).toMatchObject({ ok: true, headSeq: held.headSeq });
  });

  it('reports a chain that ends before its checkpoint even when the copies and anchors went with the records', async () => {
    await write(2);
    const held = await check();
    if (!held.ok) throw new Error('the chain should hold');
    const container = app.host.storage.blobs.getContainerClient('audit-checkpoint');
    const [last, beforeLast] = [strip(await row(held.headSeq)), strip(await row(held.headSeq - 1))];
    const head = strip(await store.chain.table.getEntity('chain', 'head'));
    await store.chain.table.deleteEntity('chain', last.rowKey);
    await store.chain.table.updateEntity({ ...head, seq: held.headSeq - 1, hash: (beforeLast as Record<string, unknown>).hash }, 'Replace');
    for await (const blob of container.listBlobsFlat({ prefix: 'chain/' })) await container.deleteBlob(blob.name);
    await store.chain.table.deleteEntity('chain', 'segments-audit-checkpoint');
    expect(await check(true)).toMatchObject({ ok: false, brokenAt: held.headSeq, tampering: 'truncated', detectedBy: 'checkpoint' });
    // Restored: the record and head back, the segments copied again from the table, the head anchored.
    await store.chain.table.createEntity(last);
    await store.chain.table.updateEntity(head, 'Replace');
    await store.segments.sync();
    await store.anchors.write((await store.chain.readHead()).head, new Date().toISOString());
    expect(await check(true)).toMatchObject({ ok: true, headSeq: held.headSeq });
  });

  it('GET /api/audit/verify takes full=true|false and refuses anything else', async () => {
    expect((await get('audit/verify?full=true')).body).toMatchObject({ ok: true, checked: { scope: 'full' } });
    expect((await get('audit/verify')).body).toMatchObject({ ok: true, checked: { scope: expect.stringMatching(/^(full|checkpoint)$/) } });
    expect(await get('audit/verify?full=yes')).toMatchObject({ status: 400, body: { error: "full must be true or false, got 'yes'" } });
  });
});
