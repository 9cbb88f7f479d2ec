import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { AuditStore, openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { segmentLine } from '../../src/Dps.Functions/storage/audit-segments';
import { auditSegmentName } from '../../src/Dps.Functions/storage/blob-layout';
import { appendAuditEvents } from '../../src/Dps.Functions/audit/chain-appender';
import { readSettings } from '../../src/Dps.Functions/settings';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { eventually, KEY, startApp } from './fixtures/app-host';

let host: LocalHost;
let logger: Awaited<ReturnType<typeof startApp>>['logger'];
let store: AuditStore;

const event = (id: string, why = 'because the test says so') => ({
  id, who: 'tester', what: 'test.decision', when: '2026-01-01T00:00:00.000Z', where: { function: 'test' }, outcome: 'accepted', why, subjects: ['s1'],
});

async function verify(): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${host.baseUrl}/api/audit/verify?code=${KEY}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const writerRuns = () => logger.entries.filter((e) => e.functionName === 'auditWriter').length;

// Appends events of the test's own straight to the chain; returns their records (seq order).
async function chained(...ids: string[]) {
  const outcome = await appendAuditEvents(store.chain, ids.map((id) => event(id)));
  expect(outcome.rejected).toEqual([]);
  return outcome.appended;
}

// Publishes batches one after the other, each delivered and written before the next.
async function deliver(...batches: unknown[][]): Promise<void> {
  for (const batch of batches) {
    const before = writerRuns();
    await host.broker.publish('audit', batch);
    await eventually(async () => (writerRuns() > before ? true : undefined));
  }
}

const recordRow = (seq: number) => `r-${String(seq).padStart(12, '0')}`;

beforeAll(async () => {
  ({ host, logger } = await startApp());
  store = await openAuditStore(createStorageClients({ connectionString: host.connectionString }), readSettings());
});
afterAll(async () => {
  await host?.stop();
});

// Every test writes events with ids of its own, so any one of them can run alone or in any order.
describe('audit writer', () => {
  it('appends delivered events once each: a redelivered event (same id, same content) is not written again', async () => {
    await deliver([event('once-1'), event('once-2')], [event('once-1'), event('once-3')], [event('once-3'), event('once-3')]);
    const { records } = await store.chain.readChain();
    const mine = records.filter((r) => r.eventId.startsWith('once-'));
    expect(mine.map((r) => r.eventId)).toEqual(['once-1', 'once-2', 'once-3']);
    expect(mine.map((r) => r.seq - mine[0].seq)).toEqual([0, 1, 2]);
    const verdict = await verify();
    expect(verdict).toMatchObject({ status: 200, body: { ok: true } });
    expect(verdict.body.length).toBeGreaterThanOrEqual(mine[2].seq);
  });

  it('dead-letters invalid events and reused ids with other content, with the reason, and chains the rest', async () => {
    const [reused] = await chained('dl-2');
    await deliver([{ id: 'dl-no-fields' }, event('dl-2', 'a different reason'), 'dl: not json at all', event('dl-4')]);
    const letters = await store.deadLetters.list();
    const reasonOf = (body: unknown) => letters.find((l) => JSON.stringify(l.body) === JSON.stringify(body))?.reason;
    expect(reasonOf({ id: 'dl-no-fields' })).toBe('event.who is missing');
    expect(reasonOf(event('dl-2', 'a different reason'))).toBe(`event id 'dl-2' is already in the chain at seq ${reused.seq} with different content`);
    expect(reasonOf('dl: not json at all')).toBe('event must be an object');
    const { records } = await store.chain.readChain();
    expect(records.filter((r) => r.eventId.startsWith('dl-')).map((r) => r.eventId)).toEqual(['dl-2', 'dl-4']);
  });

  it('chains the events an HTTP function emits through its audit output binding', async () => {
    const started = await fetch(`${host.baseUrl}/api/finops/run?dryRun=true&code=${KEY}`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const record = await eventually(async () => (await store.chain.readChain()).records.find((r) => r.eventId === `finops:${id}:requested`));
    // The caller is the function key it used (its fingerprint), never a header it could set.
    expect(record.event).toMatchObject({ who: expect.stringMatching(/^key:[0-9a-f]{12}$/), what: 'finops.offhours.run-requested', where: { function: 'finopsRun', instanceId: id }, outcome: 'accepted' });
    // The run's own events land too; wait for them so a test after this one sees a quiet chain.
    await eventually(async () => (await store.chain.readChain()).records.find((r) => r.eventId === `finops:${id}:run`));
  });

  it('copies every record into append-blob segments, one canonical JSON line each', async () => {
    await deliver([event('seg-1'), event('seg-2')]);
    const container = host.storage.blobs.getContainerClient('audit');
    // Segments are synced after the chain commit, so the last lines may land a moment later.
    const [expected, text] = await eventually(async () => {
      const lines = (await store.chain.readChain()).records.map(segmentLine).join('');
      const current = (await container.getBlobClient(auditSegmentName(1)).downloadToBuffer()).toString('utf8');
      // Another batch's writer run (late events of an earlier test) can end deliver() first: wait for ours.
      return current === lines && lines.includes('"seg-2"') ? [lines, current] : undefined;
    }, 5_000).catch(async () => [(await store.chain.readChain()).records.map(segmentLine).join(''), (await container.getBlobClient(auditSegmentName(1)).downloadToBuffer()).toString('utf8')]);
    expect(text).toBe(expected);
    expect(text).toContain('"seg-2"');
  });

  it('keeps one valid chain when writers append concurrently, overlapping batches included', async () => {
    const before = (await store.chain.readHead()).head.seq;
    const a = Array.from({ length: 60 }, (_, i) => event(`conc-a${i}`));
    const b = [...Array.from({ length: 60 }, (_, i) => event(`conc-b${i}`)), ...a.slice(0, 10)];
    const outcomes = await Promise.all([appendAuditEvents(store.chain, a), appendAuditEvents(store.chain, b), appendAuditEvents(store.chain, a.slice(30))]);
    expect(outcomes.reduce((n, o) => n + o.appended.length, 0)).toBe(120);
    expect(outcomes.flatMap((o) => o.rejected)).toEqual([]);
    const { records } = await store.chain.readChain();
    expect(records.length).toBe(before + 120);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(records.length);
    expect((await verify()).body).toMatchObject({ ok: true, length: before + 120 });
  });

  it('rolls segments and never writes a line twice when writers sync them concurrently', async () => {
    await chained(...Array.from({ length: 16 }, (_, i) => `roll-${i}`));
    const small = await openAuditStore(createStorageClients({ connectionString: host.connectionString }), { ...readSettings(), containers: { ...readSettings().containers, audit: 'audit-small' } }, 7);
    await Promise.all([small.segments.sync(), small.segments.sync(), small.segments.sync()]);
    const { records } = await small.chain.readChain();
    const container = host.storage.blobs.getContainerClient('audit-small');
    const segments = Math.ceil(records.length / 7);
    expect(segments).toBeGreaterThanOrEqual(3);
    for (let i = 1; i <= segments; i++) {
      const text = (await container.getBlobClient(auditSegmentName(i)).downloadToBuffer()).toString('utf8');
      expect(text).toBe(records.slice((i - 1) * 7, i * 7).map(segmentLine).join(''));
    }
  });
});

describe('GET /api/audit/verify', () => {
  const table = () => store.chain.table;
  const getRow = (seq: number) => table().getEntity<Record<string, unknown>>('chain', recordRow(seq));
  const strip = ({ etag: _etag, timestamp: _ts, ...rest }: Record<string, unknown>) => rest as { partitionKey: string; rowKey: string };

  it('detects an edited record and names it, then holds again once restored', async () => {
    const [, target] = await chained('edit-1', 'edit-2', 'edit-3');
    const original = strip(await getRow(target.seq));
    const edited = { ...original, event: String((original as Record<string, unknown>).event).replace('because the test says so', 'nothing happened') };
    await table().updateEntity(edited, 'Replace');
    const broken = await verify();
    expect(broken.status).toBe(409);
    expect(broken.body).toMatchObject({ ok: false, brokenAt: target.seq, eventId: 'edit-2', reason: 'hash does not match prevHash and event (record edited)' });
    await table().updateEntity(original, 'Replace');
    expect((await verify()).status).toBe(200);
  });

  it('detects a deleted record', async () => {
    const [, target] = await chained('del-1', 'del-2', 'del-3');
    const original = strip(await getRow(target.seq));
    await table().deleteEntity('chain', recordRow(target.seq));
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: target.seq, reason: expect.stringContaining('a record is missing or out of order') });
    await table().createEntity(original);
    expect((await verify()).status).toBe(200);
  });

  it('detects reordered records', async () => {
    const [first, second] = await chained('swap-1', 'swap-2', 'swap-3');
    const [one, two] = [strip(await getRow(first.seq)), strip(await getRow(second.seq))];
    await table().updateEntity({ ...two, rowKey: one.rowKey }, 'Replace');
    await table().updateEntity({ ...one, rowKey: two.rowKey }, 'Replace');
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: first.seq, reason: `expected seq ${first.seq}, found ${second.seq} (a record is missing or out of order)` });
    await table().updateEntity(one, 'Replace');
    await table().updateEntity(two, 'Replace');
    expect((await verify()).status).toBe(200);
  });

  it('detects records cut off the end against the stored head', async () => {
    await chained('cut-1', 'cut-2');
    const { head } = await store.chain.readHead();
    const last = strip(await getRow(head.seq));
    await table().deleteEntity('chain', recordRow(head.seq));
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: head.seq, reason: expect.stringContaining('(records removed)') });
    await table().createEntity(last);
    expect((await verify()).status).toBe(200);
  });

  it('walks the chain only up to the head it read, so a record past the head cannot look like tampering', async () => {
    await chained('past-1', 'past-2');
    const { head } = await store.chain.readHead();
    const last = strip(await getRow(head.seq));
    await table().createEntity({ ...last, rowKey: recordRow(head.seq + 1), seq: head.seq + 1 });
    expect((await verify()).body).toMatchObject({ ok: true, length: head.seq, head: head.hash, headSeq: head.seq });
    await table().deleteEntity('chain', recordRow(head.seq + 1));
  });

  it('needs the function key', async () => {
    expect((await fetch(`${host.baseUrl}/api/audit/verify`)).status).toBe(401);
  });
});
