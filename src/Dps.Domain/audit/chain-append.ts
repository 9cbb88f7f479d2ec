import { Result, ok } from '../result';
import { AuditEvent, validateAuditEvent } from './audit-event';
import { canonicalJson } from './canonical-json';
import { ChainHead, ChainRecord, chainHash } from './chain-record';

/** Links a valid event after `head` (EMPTY_CHAIN_HEAD for a new chain); the error names the invalid field. */
export function appendToChain(head: ChainHead, event: AuditEvent): Result<ChainRecord, string> {
  const valid = validateAuditEvent(event);
  if (!valid.ok) return valid;
  const canonical = canonicalJson(valid.value);
  if (!canonical.ok) return canonical;
  const seq = head.seq + 1;
  return ok({ seq, eventId: event.id, prevHash: head.hash, hash: chainHash(head.hash, canonical.value), event: valid.value });
}

/** What to do with a batch of delivered events. */
export interface AppendPlan {
  /** New records to write, in seq order, after the old head. */
  records: ChainRecord[];
  /** The chain's head once `records` are written. */
  head: ChainHead;
  /** Ids of events already in the chain (or earlier in the batch) with the same content: nothing to write. */
  duplicates: string[];
  /** Events that cannot be appended, by position in the batch, with the reason. */
  rejected: { index: number; error: string }[];
}

const sameContent = (a: unknown, b: unknown) => {
  const ca = canonicalJson(a);
  const cb = canonicalJson(b);
  return ca.ok && cb.ok && ca.value === cb.value;
};

/**
 * Decides the appends for a batch of events so redelivery never forks the chain: an event whose id
 * `known` finds (already stored) or that came earlier in the batch is a duplicate and is not written
 * again; the same id with different content is rejected. The storage adapter looks the ids up, then
 * writes `records` and moves the head with an ETag condition, re-planning if the head moved meanwhile.
 */
export function planAppends(head: ChainHead, events: unknown[], known: (eventId: string) => ChainRecord | undefined): AppendPlan {
  const plan: AppendPlan = { records: [], head, duplicates: [], rejected: [] };
  const batch = new Map<string, ChainRecord>();
  for (const [index, event] of events.entries()) {
    const valid = validateAuditEvent(event);
    const existing = valid.ok ? (batch.get(valid.value.id) ?? known(valid.value.id)) : undefined;
    if (!valid.ok) {
      plan.rejected.push({ index, error: valid.error });
    } else if (existing && sameContent(existing.event, valid.value)) {
      plan.duplicates.push(valid.value.id);
    } else if (existing) {
      plan.rejected.push({ index, error: `event id '${valid.value.id}' is already in the chain at seq ${existing.seq} with different content` });
    } else {
      const record = appendToChain(plan.head, valid.value);
      if (!record.ok) {
        plan.rejected.push({ index, error: record.error });
        continue;
      }
      batch.set(record.value.eventId, record.value);
      plan.records.push(record.value);
      plan.head = { seq: record.value.seq, hash: record.value.hash };
    }
  }
  return plan;
}
