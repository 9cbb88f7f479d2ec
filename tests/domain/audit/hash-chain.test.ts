import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AuditEvent } from '../../../src/Dps.Domain/audit/audit-event';
import { appendToChain, planAppends } from '../../../src/Dps.Domain/audit/chain-append';
import { ChainRecord, EMPTY_CHAIN_HEAD } from '../../../src/Dps.Domain/audit/chain-record';
import { verifyChain } from '../../../src/Dps.Domain/audit/chain-verify';

function auditEvent(n: number, why = `reason ${n}`): AuditEvent {
  return {
    id: `evt-${n}`,
    who: 'dps',
    what: 'dataset.accepted',
    when: `2024-03-29T18:00:0${n}Z`,
    where: { function: 'validate' },
    outcome: 'accepted',
    why,
    subjects: ['sales'],
  };
}

function chainOf(count: number): ChainRecord[] {
  const records: ChainRecord[] = [];
  for (let n = 1; n <= count; n++) {
    const next = appendToChain(records.at(-1) ?? EMPTY_CHAIN_HEAD, auditEvent(n));
    if (!next.ok) throw new Error(next.error);
    records.push(next.value);
  }
  return records;
}

const clone = (records: ChainRecord[]): ChainRecord[] => JSON.parse(JSON.stringify(records));

describe('appendToChain', () => {
  it('links the first event to the genesis hash with sha256(prevHash + canonical JSON)', () => {
    const first = appendToChain(EMPTY_CHAIN_HEAD, auditEvent(1));
    // Canonical JSON of auditEvent(1), written out by hand with sorted keys.
    const canonical =
      '{"id":"evt-1","outcome":"accepted","subjects":["sales"],"what":"dataset.accepted","when":"2024-03-29T18:00:01Z",' +
      '"where":{"function":"validate"},"who":"dps","why":"reason 1"}';
    const genesis = '0000000000000000000000000000000000000000000000000000000000000000';
    const expected = createHash('sha256').update(genesis + canonical).digest('hex');
    expect(first).toEqual({ ok: true, value: { seq: 1, eventId: 'evt-1', prevHash: genesis, hash: expected, event: auditEvent(1) } });
  });

  it('links each record to the one before', () => {
    const [a, b] = chainOf(2);
    expect([b.seq, b.prevHash]).toEqual([2, a.hash]);
    expect(b.hash).not.toBe(a.hash);
  });

  it('refuses an invalid event naming the field', () => {
    expect(appendToChain(EMPTY_CHAIN_HEAD, { ...auditEvent(1), when: 'yesterday' })).toEqual({
      ok: false,
      error: expect.stringContaining('event.when must be an ISO timestamp in UTC'),
    });
  });
});

describe('verifyChain', () => {
  it('verifies an intact chain and names its head', () => {
    const records = chainOf(4);
    expect(verifyChain(records)).toEqual({ ok: true, length: 4, head: { seq: 4, hash: records[3].hash } });
    expect(verifyChain(clone(records), { seq: 4, hash: records[3].hash }).ok).toBe(true);
  });

  it('verifies an empty chain with length 0', () => {
    expect(verifyChain([])).toEqual({ ok: true, length: 0, head: { seq: 0, hash: '0'.repeat(64) } });
  });

  it("detects an edited record's event", () => {
    const records = clone(chainOf(4));
    records[1].event.why = 'something else';
    expect(verifyChain(records)).toEqual({ ok: false, length: 4, brokenAt: 2, reason: 'hash does not match prevHash and event (record edited)' });
  });

  it("detects an edited record's hash, even when the next prevHash is edited to match", () => {
    const records = clone(chainOf(4));
    records[1].hash = 'f'.repeat(64);
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: 2 });
    records[2].prevHash = records[1].hash;
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: 2, reason: 'hash does not match prevHash and event (record edited)' });
  });

  it('detects a deleted record, also when the later ones are renumbered', () => {
    const records = clone(chainOf(4));
    records.splice(1, 1);
    expect(verifyChain(records)).toEqual({ ok: false, length: 3, brokenAt: 2, reason: 'expected seq 2, found 3 (a record is missing or out of order)' });
    records[1].seq = 2;
    records[2].seq = 3;
    expect(verifyChain(records)).toEqual({ ok: false, length: 3, brokenAt: 2, reason: 'prevHash does not match the hash of record 1' });
  });

  it('detects two records swapped', () => {
    const records = clone(chainOf(4));
    [records[1], records[2]] = [records[2], records[1]];
    expect(verifyChain(records)).toMatchObject({ ok: false, brokenAt: 2 });
  });

  it('detects an edited eventId and a repeated event', () => {
    const edited = clone(chainOf(2));
    edited[1].eventId = 'evt-9';
    expect(verifyChain(edited)).toMatchObject({ ok: false, brokenAt: 2, reason: "eventId 'evt-9' differs from event.id 'evt-2'" });
    const [first] = chainOf(1);
    const again = appendToChain(first, first.event);
    if (!again.ok) throw new Error(again.error);
    expect(verifyChain([first, again.value])).toMatchObject({ ok: false, brokenAt: 2, reason: "event id 'evt-1' is already at seq 1" });
  });

  it('detects records removed or rewritten at the end when given the stored head', () => {
    const records = chainOf(4);
    const head = { seq: 4, hash: records[3].hash };
    expect(verifyChain(records.slice(0, 3), head)).toEqual({
      ok: false,
      length: 3,
      brokenAt: 4,
      reason: 'chain ends at seq 3 but the head is at seq 4 (records removed)',
    });
    const rewritten = appendToChain(records[2], auditEvent(4, 'forged'));
    if (!rewritten.ok) throw new Error(rewritten.error);
    const forged = [...records.slice(0, 3), rewritten.value];
    expect(verifyChain(forged).ok).toBe(true);
    expect(verifyChain(forged, head)).toMatchObject({ ok: false, brokenAt: 4, reason: 'last hash differs from the head (records rewritten)' });
  });
});

describe('planAppends', () => {
  it('appends new events after the head and keeps the chain verifiable', () => {
    const stored = chainOf(2);
    const plan = planAppends(stored[1], [auditEvent(3), auditEvent(4)], () => undefined);
    expect(plan.records.map((r) => [r.seq, r.eventId])).toEqual([
      [3, 'evt-3'],
      [4, 'evt-4'],
    ]);
    expect(plan.head).toEqual({ seq: 4, hash: plan.records[1].hash });
    expect(verifyChain([...stored, ...plan.records], plan.head).ok).toBe(true);
  });

  it('does not fork the chain on redelivery, whether stored before or repeated in the batch', () => {
    const stored = chainOf(2);
    const byId = new Map(stored.map((r) => [r.eventId, r]));
    const plan = planAppends(stored[1], [auditEvent(2), auditEvent(3), auditEvent(3)], (id) => byId.get(id));
    expect(plan.records.map((r) => r.eventId)).toEqual(['evt-3']);
    expect(plan.duplicates).toEqual(['evt-2', 'evt-3']);
    expect(plan.rejected).toEqual([]);
  });

  it('rejects a known id with other content and an invalid event, and goes on with the rest', () => {
    const stored = chainOf(1);
    const plan = planAppends(stored[0], [auditEvent(1, 'changed'), { id: 'x' }, auditEvent(2)], (id) => (id === 'evt-1' ? stored[0] : undefined));
    expect(plan.rejected).toEqual([
      { index: 0, error: "event id 'evt-1' is already in the chain at seq 1 with different content" },
      { index: 1, error: 'event.who is missing' },
    ]);
    expect(plan.records.map((r) => [r.seq, r.eventId])).toEqual([[2, 'evt-2']]);
  });
});
