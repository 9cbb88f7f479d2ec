import { validateAuditEvent } from './audit-event';
import { canonicalJson } from './canonical-json';
import { ChainHead, ChainRecord, EMPTY_CHAIN_HEAD, chainHash } from './chain-record';

/** The verdict on a chain; `length` is the number of records (those given after `start`, plus `start.seq`), `brokenAt` the seq of the first bad one. */
export type ChainVerification =
  | { ok: true; length: number; head: ChainHead }
  | { ok: false; length: number; brokenAt: number; reason: string };

// Why record `expectedSeq` is broken, or undefined when it links correctly after `prev`.
function problemWith(record: ChainRecord, expectedSeq: number, prev: ChainHead, seen: Map<string, number>): string | undefined {
  if (typeof record !== 'object' || record === null) return 'not a chain record';
  if (record.seq !== expectedSeq) return `expected seq ${expectedSeq}, found ${JSON.stringify(record.seq)} (a record is missing or out of order)`;
  if (record.prevHash !== prev.hash) return `prevHash does not match the hash of record ${prev.seq}`;
  const event = validateAuditEvent(record.event);
  if (!event.ok) return `invalid event: ${event.error}`;
  if (record.eventId !== event.value.id) return `eventId '${record.eventId}' differs from event.id '${event.value.id}'`;
  const earlier = seen.get(record.eventId);
  if (earlier !== undefined) return `event id '${record.eventId}' is already at seq ${earlier}`;
  const canonical = canonicalJson(event.value);
  if (!canonical.ok || chainHash(record.prevHash, canonical.value) !== record.hash) return 'hash does not match prevHash and event (record edited)';
  return undefined;
}

/**
 * Verifies records given in seq order from seq 1: numbering, links, event validity, unique event ids and
 * hashes. With `expectedHead` (the stored head) it also detects records cut off or rewritten at the end.
 * With `start` (a record already verified) the records continue the chain after it: they begin at
 * `start.seq + 1` and the first links to `start.hash`; event ids are then unique among these records only.
 */
export function verifyChain(records: readonly ChainRecord[], expectedHead?: ChainHead, start: ChainHead = EMPTY_CHAIN_HEAD): ChainVerification {
  const length = start.seq + records.length;
  const seen = new Map<string, number>();
  let head = start;
  for (const [i, record] of records.entries()) {
    const seq = start.seq + i + 1;
    const reason = problemWith(record, seq, head, seen);
    if (reason) return { ok: false, length, brokenAt: seq, reason };
    seen.set(record.eventId, record.seq);
    head = { seq: record.seq, hash: record.hash };
  }
  if (expectedHead && expectedHead.seq !== head.seq) {
    const cut = expectedHead.seq > head.seq;
    const reason = cut ? `chain ends at seq ${head.seq} but the head is at seq ${expectedHead.seq} (records removed)` : `records after the head at seq ${expectedHead.seq}`;
    return { ok: false, length, brokenAt: cut ? head.seq + 1 : expectedHead.seq + 1, reason };
  }
  if (expectedHead && expectedHead.hash !== head.hash) return { ok: false, length, brokenAt: head.seq, reason: 'last hash differs from the head (records rewritten)' };
  return { ok: true, length, head };
}
