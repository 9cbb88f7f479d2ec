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

describe('audit writer', () => {
  it('registers a retry policy, so a failing batch is retried rather than checkpointed past', () => {
    const writer = host.functions.find((f) => f.metadata.name === 'auditWriter');
    expect(writer?.metadata.retryOptions?.maxRetryCount).toBe(-1);
  });

  it('appends delivered events once each: a redelivered event (same id, same content) is not written again', async () => {
    await deliver([event('e1'), event('e2')], [event('e1'), event('e3')], [event('e3'), event('e3')]);
    const { records, head } = await store.chain.readChain();
    expect(records.map((r) => [r.seq, r.eventId])).toEqual([[1, 'e1'], [2, 'e2'], [3, 'e3']]);
    expect(head).toEqual({ seq: 3, hash: records[2].hash });
    expect(await verify()).toEqual({ status: 200, body: { ok: true, length: 3, head: records[2].hash, headSeq: 3 } });
  });

  it('dead-letters invalid events and reused ids with other content, with the reason, and chains the rest', async () => {
    await deliver([{ id: 'no-fields' }, event('e2', 'a different reason'), 'not json at all', event('e4')]);
    const letters = await store.deadLetters.list();
    expect(letters.map((l) => l.reason).sort()).toEqual([
      "event id 'e2' is already in the chain at seq 2 with different content",
      'event must be an object',
      'event.who is missing',
    ]);
    expect(letters.find((l) => l.body === 'not json at all')).toBeDefined();
    const { records } = await store.chain.readChain();
    expect(records.map((r) => r.eventId)).toEqual(['e1', 'e2', 'e3', 'e4']);
  });

  it('chains the events an HTTP function emits through its audit output binding', async () => {
    const started = await fetch(`${host.baseUrl}/api/finops/run?dryRun=true&code=${KEY}`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const record = await eventually(async () => (await store.chain.readChain()).records.find((r) => r.eventId === `finops:${id}:requested`));
    expect(record.event).toMatchObject({ who: 'system', what: 'finops.offhours.run-requested', where: { function: 'finopsRun', instanceId: id }, outcome: 'accepted' });
    // The run's own events land too; wait for them so the tamper tests below see a quiet chain.
    await eventually(async () => (await store.chain.readChain()).records.find((r) => r.eventId === `finops:${id}:run`));
  });

  it('copies every record into append-blob segments, one canonical JSON line each', async () => {
    const { records } = await store.chain.readChain();
    const expected = records.map(segmentLine).join('');
    const container = host.storage.blobs.getContainerClient('audit');
    // Segments are synced after the chain commit, so the last lines may land a moment later.
    const text = await eventually(async () => {
      const current = (await container.getBlobClient(auditSegmentName(1)).downloadToBuffer()).toString('utf8');
      return current === expected ? current : undefined;
    }, 5_000).catch(async () => (await container.getBlobClient(auditSegmentName(1)).downloadToBuffer()).toString('utf8'));
    expect(text).toBe(expected);
  });

  it('keeps one valid chain when writers append concurrently, overlapping batches included', async () => {
    const before = (await store.chain.readHead()).head.seq;
    const a = Array.from({ length: 60 }, (_, i) => event(`a${i}`));
    const b = [...Array.from({ length: 60 }, (_, i) => event(`b${i}`)), ...a.slice(0, 10)];
    const outcomes = await Promise.all([appendAuditEvents(store.chain, a), appendAuditEvents(store.chain, b), appendAuditEvents(store.chain, a.slice(30))]);
    expect(outcomes.reduce((n, o) => n + o.appended.length, 0)).toBe(120);
    expect(outcomes.flatMap((o) => o.rejected)).toEqual([]);
    const { records } = await store.chain.readChain();
    expect(records.length).toBe(before + 120);
    expect(new Set(records.map((r) => r.eventId)).size).toBe(records.length);
    expect((await verify()).body).toMatchObject({ ok: true, length: before + 120 });
  });

  it('rolls segments and never writes a line twice when writers sync them concurrently', async () => {
    const small = await openAuditStore(createStorageClients({ connectionString: host.connectionString }), { ...readSettings(), containers: { ...readSettings().containers, audit: 'audit-small' } }, 7);
    await Promise.all([small.segments.sync(), small.segments.sync(), small.segments.sync()]);
    const { records } = await small.chain.readChain();
    const container = host.storage.blobs.getContainerClient('audit-small');
    const segments = Math.ceil(records.length / 7);
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
    const original = strip(await getRow(2));
    const edited = { ...original, event: String((original as Record<string, unknown>).event).replace('because the test says so', 'nothing happened') };
    await table().updateEntity(edited, 'Replace');
    const broken = await verify();
    expect(broken.status).toBe(409);
    expect(broken.body).toMatchObject({ ok: false, brokenAt: 2, eventId: 'e2', reason: 'hash does not match prevHash and event (record edited)' });
    await table().updateEntity(original, 'Replace');
    expect((await verify()).status).toBe(200);
  });

  it('detects a deleted record', async () => {
    const original = strip(await getRow(3));
    await table().deleteEntity('chain', recordRow(3));
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: 3, reason: expect.stringContaining('a record is missing or out of order') });
    await table().createEntity(original);
    expect((await verify()).status).toBe(200);
  });

  it('detects reordered records', async () => {
    const [two, three] = [strip(await getRow(2)), strip(await getRow(3))];
    await table().updateEntity({ ...three, rowKey: two.rowKey }, 'Replace');
    await table().updateEntity({ ...two, rowKey: three.rowKey }, 'Replace');
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: 2, reason: 'expected seq 2, found 3 (a record is missing or out of order)' });
    await table().updateEntity(two, 'Replace');
    await table().updateEntity(three, 'Replace');
    expect((await verify()).status).toBe(200);
  });

  it('detects records cut off the end against the stored head', async () => {
    const { head } = await store.chain.readHead();
    const last = strip(await getRow(head.seq));
    await table().deleteEntity('chain', recordRow(head.seq));
    expect((await verify()).body).toMatchObject({ ok: false, brokenAt: head.seq, reason: expect.stringContaining('(records removed)') });
    await table().createEntity(last);
    expect((await verify()).status).toBe(200);
  });

  it('walks the chain only up to the head it read, so a record past the head cannot look like tampering', async () => {
    const { head } = await store.chain.readHead();
    const last = strip(await getRow(head.seq));
    await table().createEntity({ ...last, rowKey: recordRow(head.seq + 1), seq: head.seq + 1 });
    expect((await verify()).body).toEqual({ ok: true, length: head.seq, head: head.hash, headSeq: head.seq });
    await table().deleteEntity('chain', recordRow(head.seq + 1));
  });

  it('needs the function key', async () => {
    expect((await fetch(`${host.baseUrl}/api/audit/verify`)).status).toBe(401);
  });
});
