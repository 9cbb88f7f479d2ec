import type { AuditEvent } from '../../Dps.Domain/audit/audit-event';
import type { ChainRecord } from '../../Dps.Domain/audit/chain-record';
import type { Page } from '../shared/paging';

/** Which events a page keeps: `type` is `what` itself or a dotted prefix of it; `[fromMs, toMs)` bounds `when`. */
export interface AuditEventFilter {
  type?: string;
  fromMs?: number;
  toMs?: number;
}

/** An audit event as the list shows it: the event and its place in the chain. */
export type ListedAuditEvent = AuditEvent & { seq: number };

/** Records read per table query while walking the chain backwards. */
const CHUNK = 100;
/** Records one request looks at at most; a sparse filter answers fewer items with a token to go on. */
export const MAX_SCANNED = 2000;

function matches(event: AuditEvent, filter: AuditEventFilter): boolean {
  if (typeof event !== 'object' || event === null) return false;
  if (filter.type && event.what !== filter.type && !String(event.what).startsWith(`${filter.type}.`)) return false;
  const at = Date.parse(event.when);
  if (filter.fromMs !== undefined && !(at >= filter.fromMs)) return false;
  if (filter.toMs !== undefined && !(at < filter.toMs)) return false;
  return true;
}

/**
 * One page of audit events, newest first: walks the chain down from `startSeq` (the head, or the seq a
 * continuation token names), keeping matching events until `top` are found or MAX_SCANNED records were
 * read. The token is the seq to continue from; none once the chain's first record was read.
 */
export async function auditEventPage(
  readRecords: (fromSeq: number, toSeq: number) => Promise<ChainRecord[]>, startSeq: number, top: number, filter: AuditEventFilter,
): Promise<Page<ListedAuditEvent>> {
  const items: ListedAuditEvent[] = [];
  let upper = startSeq;
  let scanned = 0;
  while (upper >= 1 && items.length < top && scanned < MAX_SCANNED) {
    const lower = Math.max(1, upper - CHUNK + 1);
    const records = (await readRecords(lower, upper)).sort((a, b) => b.seq - a.seq);
    for (const record of records) {
      if (items.length === top || scanned === MAX_SCANNED) return { items, continuationToken: String(record.seq) };
      scanned++;
      if (matches(record.event, filter)) items.push({ ...record.event, seq: record.seq });
    }
    upper = lower - 1;
  }
  return { items, continuationToken: upper >= 1 ? String(upper) : null };
}
