import { ChainVerification, verifyChain } from '../../Dps.Domain/audit/chain-verify';
import { ChainRecord, EMPTY_CHAIN_HEAD } from '../../Dps.Domain/audit/chain-record';
import type { AuditStore } from '../storage/audit-store';
import { segmentLine } from '../storage/audit-segments';

/** What was done to the trail, as far as verification can tell. */
export type Tampering = 'edited' | 'truncated' | 'rewritten' | 'wiped' | 'damaged';

/** Which evidence caught it: the chain's own links and head, the append-only segments, or the anchors. */
export type Evidence = 'chain' | 'segments' | 'anchors';

/**
 * The verdict on the audit trail. Holding: `{ok: true, length, head, headSeq}` plus what the copies
 * cover. Broken: the first broken record (`brokenAt`, `reason`, `eventId` if any), what was done
 * (`tampering`) and which evidence showed it (`detectedBy`); `findings` lists every check that failed.
 */
export type StoredChainVerification =
  | { ok: true; length: number; head: string; headSeq: number; segments: { records: number; pending: number }; anchors: { count: number; latestSeq: number } }
  | { ok: false; length: number; brokenAt: number; reason: string; tampering: Tampering; detectedBy: Evidence; eventId?: string; findings: string[] };

interface Finding {
  brokenAt: number;
  reason: string;
  tampering: Tampering;
  detectedBy: Evidence;
}

// Broken links inside the table: a record missing or out of order is a cut, anything else an edit.
function chainFinding(verdict: Extract<ChainVerification, { ok: false }>): Finding {
  const cut = /records removed|missing or out of order/.test(verdict.reason);
  return { brokenAt: verdict.brokenAt, reason: verdict.reason, tampering: cut ? 'truncated' : 'edited', detectedBy: 'chain' };
}

/** The table against its append-only copy: every record written to a segment must still be in the table, unchanged. */
function segmentFinding(records: ChainRecord[], copies: Array<{ record: ChainRecord; segment: string }>): Finding | undefined {
  for (const [i, { record, segment }] of copies.entries()) {
    if (record.seq !== i + 1) return { brokenAt: i + 1, reason: `${segment} holds seq ${JSON.stringify(record.seq)} where seq ${i + 1} belongs`, tampering: 'damaged', detectedBy: 'segments' };
    const stored = records[i];
    if (!stored) {
      const wiped = records.length === 0;
      return {
        brokenAt: i + 1,
        reason: wiped
          ? `the chain table holds no records, but the append-only segments hold ${copies.length} (records and head wiped)`
          : `the chain ends at seq ${records.length}, but the append-only segments hold records up to seq ${copies.length} (records removed and the head moved back)`,
        tampering: wiped ? 'wiped' : 'truncated',
        detectedBy: 'segments',
      };
    }
    if (segmentLine(stored) !== segmentLine(record)) {
      return { brokenAt: i + 1, reason: `record ${i + 1} differs from its append-only copy in ${segment} (rewritten after it was written)`, tampering: 'rewritten', detectedBy: 'segments' };
    }
  }
  return undefined;
}

/** The table against the anchored heads: each anchored record must still be there with the anchored hash. */
function anchorFinding(records: ChainRecord[], anchors: Array<{ seq: number; hash: string; at: string; file: string }>): Finding | undefined {
  for (const anchor of anchors) {
    if (anchor.seq === 0) continue;
    const stored = records[anchor.seq - 1];
    if (!stored) {
      const wiped = records.length === 0;
      return {
        brokenAt: records.length + 1,
        reason: `the head was anchored at seq ${anchor.seq} on ${anchor.at} (${anchor.file}), but the chain ${wiped ? 'holds no records (records and head wiped)' : `ends at seq ${records.length} (records removed and the head moved back)`}`,
        tampering: wiped ? 'wiped' : 'truncated',
        detectedBy: 'anchors',
      };
    }
    if (stored.hash !== anchor.hash) {
      return { brokenAt: anchor.seq, reason: `record ${anchor.seq} hashes to ${stored.hash.slice(0, 12)}…, but the head anchored on ${anchor.at} was ${anchor.hash.slice(0, 12)}… (records rewritten and re-hashed)`, tampering: 'rewritten', detectedBy: 'anchors' };
    }
  }
  return undefined;
}

/**
 * Verifies the audit trail three ways, reading only: the table's records link up to the stored head (a
 * missing head is itself tampering); every record in the append-only segments is still in the table,
 * unchanged; and every anchored head is still in the table with its hash. So records edited in place,
 * cut off with the head moved back, rewritten and re-hashed with the head updated, or wiped with the
 * head are all reported, with the first broken record and which evidence caught it. Records not yet
 * copied to the segments (a writer that failed after committing) are reported as pending, not broken.
 */
export async function verifyStoredChain(store: Pick<AuditStore, 'chain' | 'segments' | 'anchors'>): Promise<StoredChainVerification> {
  // The copies first: whatever they hold was committed to the table before, so a writer appending
  // meanwhile can only make the table longer than its copies, never look like records cut off.
  const copies = await store.segments.readAll();
  const anchored = await store.anchors.readAll();
  const { records, head } = await store.chain.readChain();
  const findings: Finding[] = [];
  const verdict = verifyChain(records, head ?? EMPTY_CHAIN_HEAD);
  if (!verdict.ok) findings.push(chainFinding(verdict));
  if (copies.damaged) findings.push({ brokenAt: copies.records.length + 1, reason: copies.damaged, tampering: 'damaged', detectedBy: 'segments' });
  const segment = segmentFinding(records, copies.records);
  if (segment) findings.push(segment);
  if (anchored.damaged) findings.push({ brokenAt: 0, reason: anchored.damaged, tampering: 'damaged', detectedBy: 'anchors' });
  const anchor = anchorFinding(records, anchored.anchors);
  if (anchor) findings.push(anchor);
  if (findings.length === 0 && verdict.ok) {
    return {
      ok: true, length: verdict.length, head: verdict.head.hash, headSeq: verdict.head.seq,
      segments: { records: copies.records.length, pending: records.length - copies.records.length },
      anchors: { count: anchored.anchors.length, latestSeq: Math.max(0, ...anchored.anchors.map((a) => a.seq)) },
    };
  }
  // The evidence outside the table outranks the table's own links: it says what happened, not only where.
  const first = segment ?? anchor ?? findings[0];
  const at = records[first.brokenAt - 1];
  return {
    ok: false, length: records.length, brokenAt: first.brokenAt, reason: first.reason, tampering: first.tampering, detectedBy: first.detectedBy,
    ...(at && typeof at.eventId === 'string' ? { eventId: at.eventId } : {}),
    findings: findings.map((f) => `${f.detectedBy}: ${f.reason}`),
  };
}
