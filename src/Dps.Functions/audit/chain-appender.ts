import { canonicalJson } from '../../Dps.Domain/audit/canonical-json';
import { planAppends } from '../../Dps.Domain/audit/chain-append';
import { ChainHead, ChainRecord } from '../../Dps.Domain/audit/chain-record';
import { isJsonObject } from '../../Dps.Domain/json-object';
import { AuditChainTable, MAX_RECORDS_PER_COMMIT } from '../storage/audit-chain-table';

/**
 * The longest event (canonical JSON, in UTF-16 code units) the chain stores: a table string property
 * holds 64 KiB, i.e. 32K code units, and the record needs room for its other fields.
 */
export const MAX_EVENT_CHARS = 30_000;

/** How often a batch re-plans because other writers moved the head, before it fails (and is retried). */
const MAX_CONFLICTS = 50;

/** What happened to a delivered batch. */
export interface AppendOutcome {
  appended: ChainRecord[];
  /** Ids already in the chain with the same content (redeliveries): nothing written. */
  duplicates: string[];
  /** Events that cannot be appended, by index in the batch, with the reason; the caller dead-letters them. */
  rejected: { index: number; error: string }[];
  head: ChainHead;
}

function tooLarge(body: unknown): string | undefined {
  const text = canonicalJson(body);
  return text.ok && text.value.length > MAX_EVENT_CHARS ? `event is ${text.value.length} characters of canonical JSON; at most ${MAX_EVENT_CHARS} are stored` : undefined;
}

const eventIdOf = (body: unknown) => (isJsonObject(body) && typeof body.id === 'string' ? body.id : undefined);

/**
 * Appends a delivered batch to the chain with optimistic concurrency: read the head and its ETag,
 * look up the batch's ids, plan with the domain's `planAppends`, commit (insert-only records plus the
 * head with If-Match); when another writer moved the head first, read and plan again. Redelivered
 * events are duplicates, never new records, so neither redelivery nor concurrent writers fork the chain.
 */
export async function appendAuditEvents(chain: AuditChainTable, bodies: unknown[]): Promise<AppendOutcome> {
  const oversized = bodies.map((body, index) => ({ index, error: tooLarge(body) })).filter((r): r is { index: number; error: string } => r.error !== undefined);
  const positions = bodies.map((_, index) => index).filter((index) => !oversized.some((r) => r.index === index));
  const events = positions.map((index) => bodies[index]);
  const ids = events.map(eventIdOf).filter((id): id is string => id !== undefined);
  const known = new Map<string, ChainRecord>();
  const appended: ChainRecord[] = [];
  for (let conflicts = 0; ; ) {
    const stored = await chain.readHead();
    // Stored records never change, so only ids not yet found need another look.
    for (const [id, record] of await chain.findByEventIds(ids.filter((id) => !known.has(id)))) known.set(id, record);
    const plan = planAppends(stored.head, events, (id) => known.get(id));
    if (plan.records.length === 0) {
      // Events this call appended show up as duplicates in the final plan: they are not redeliveries.
      const duplicates = [...plan.duplicates];
      for (const record of appended) duplicates.splice(duplicates.indexOf(record.eventId), 1);
      return {
        appended,
        duplicates,
        rejected: [...oversized, ...plan.rejected.map((r) => ({ index: positions[r.index], error: r.error }))].sort((a, b) => a.index - b.index),
        head: plan.head,
      };
    }
    const batch = plan.records.slice(0, MAX_RECORDS_PER_COMMIT);
    if (await chain.commit(batch, stored)) {
      appended.push(...batch);
      for (const record of batch) known.set(record.eventId, record);
    } else if (++conflicts >= MAX_CONFLICTS) {
      throw new Error(`audit chain: the head moved ${conflicts} times while appending; the batch will be retried`);
    }
  }
}
