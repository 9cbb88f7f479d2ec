import { ChainVerification, verifyChain } from '../../Dps.Domain/audit/chain-verify';
import { ChainRecord, EMPTY_CHAIN_HEAD } from '../../Dps.Domain/audit/chain-record';
import type { AuditCheckpoint } from '../storage/audit-checkpoint';
import type { AuditStore } from '../storage/audit-store';
import { segmentLine } from '../storage/audit-segments';

/** What was done to the trail, as far as verification can tell. */
export type Tampering = 'edited' | 'truncated' | 'rewritten' | 'wiped' | 'damaged';

/**
 * Which evidence caught it: the chain's own links and head, the append-only segments, the anchors, or
 * the verification checkpoint (a head once found intact that the chain no longer reaches).
 */
export type Evidence = 'chain' | 'segments' | 'anchors' | 'checkpoint';

/**
 * The verdict on the audit trail. Holding: `{ok: true, length, head, headSeq}` plus what the copies
 * cover. Broken: the first broken record (`brokenAt`, `reason`, `eventId` if any), what was done
 * (`tampering`) and which evidence showed it (`detectedBy`); `findings` lists every check that failed.
 */
export type StoredChainVerification = HeldChain | BrokenChain;
type HeldChain = { ok: true; length: number; head: string; headSeq: number; segments: { records: number; pending: number }; anchors: { count: number; latestSeq: number } };
type BrokenChain = { ok: false; length: number; brokenAt: number; reason: string; tampering: Tampering; detectedBy: Evidence; eventId?: string; findings: string[] };

/**
 * A check's verdict. Holding, it says what was read (`checked.scope`): every record from genesis
 * (`full`), or only the records after the checkpoint (`checkpoint`, `fromSeq` the checkpointed record,
 * re-read for its hash), and when the chain was last verified from genesis (`lastFull`).
 */
export type ChainCheck =
  | (HeldChain & { checked: { scope: 'full' | 'checkpoint'; fromSeq: number; at: string; lastFull: { seq: number; at: string } } })
  | BrokenChain;

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

/**
 * The table against its append-only copy: every record written to a segment must still be in the table,
 * unchanged. `records` and `copies` both start at seq `firstSeq`.
 */
function segmentFinding(records: ChainRecord[], copies: Array<{ record: ChainRecord; segment: string }>, firstSeq = 1): Finding | undefined {
  for (const [k, { record, segment }] of copies.entries()) {
    const i = firstSeq - 1 + k;
    if (record.seq !== i + 1) return { brokenAt: i + 1, reason: `${segment} holds seq ${JSON.stringify(record.seq)} where seq ${i + 1} belongs`, tampering: 'damaged', detectedBy: 'segments' };
    const stored = records[k];
    if (!stored) {
      const wiped = firstSeq - 1 + records.length === 0;
      return {
        brokenAt: i + 1,
        reason: wiped
          ? `the chain table holds no records, but the append-only segments hold ${copies.length} (records and head wiped)`
          : `the chain ends at seq ${firstSeq - 1 + records.length}, but the append-only segments hold records up to seq ${firstSeq - 1 + copies.length} (records removed and the head moved back)`,
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

/**
 * The table against the anchored heads: each anchored record must still be there with the anchored hash.
 * `records` start at seq `firstSeq`; anchors before it are not compared.
 */
function anchorFinding(records: ChainRecord[], anchors: Array<{ seq: number; hash: string; at: string; file: string }>, firstSeq = 1): Finding | undefined {
  for (const anchor of anchors) {
    if (anchor.seq === 0 || (anchor.seq > 0 && anchor.seq < firstSeq)) continue;
    const stored = records[anchor.seq - firstSeq];
    if (!stored) {
      const end = firstSeq - 1 + records.length;
      const wiped = end === 0;
      return {
        brokenAt: end + 1,
        reason: `the head was anchored at seq ${anchor.seq} on ${anchor.at} (${anchor.file}), but the chain ${wiped ? 'holds no records (records and head wiped)' : `ends at seq ${end} (records removed and the head moved back)`}`,
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
  const [copies, anchored] = await Promise.all([store.segments.readAll(), store.anchors.readAll()]);
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

/**
 * The short check from a checkpoint, reading only what came after it: the checkpointed record must still
 * be in the table with its hash, the records after it must link up to the stored head, the segments'
 * copies from it on must match the table, and every anchor from it on must hold. Undefined when anything
 * is off (or cannot be judged from here): the caller then verifies from genesis, which names the damage.
 */
async function verifySinceCheckpoint(store: Pick<AuditStore, 'chain' | 'segments' | 'anchors'>, checkpoint: AuditCheckpoint): Promise<HeldChain | undefined> {
  const firstSeq = Math.max(1, checkpoint.seq);
  // The copies before the table, as in the full walk: a concurrent append only makes the table longer.
  const [copies, anchored] = await Promise.all([store.segments.readFrom(firstSeq), store.anchors.readAll()]);
  const stored = await store.chain.readHead();
  if (!stored.etag || stored.head.seq < checkpoint.seq || copies.damaged || anchored.damaged || copies.records.length === 0) return undefined;
  const records = await store.chain.readRecords(firstSeq, stored.head.seq);
  const after = checkpoint.seq === 0 ? records : records.slice(1);
  if (checkpoint.seq > 0 && (records[0]?.seq !== checkpoint.seq || records[0].hash !== checkpoint.hash)) return undefined;
  const verdict = verifyChain(after, stored.head, checkpoint.seq === 0 ? EMPTY_CHAIN_HEAD : checkpoint);
  if (!verdict.ok || segmentFinding(records, copies.records, firstSeq) || anchorFinding(records, anchored.anchors, firstSeq)) return undefined;
  const copiedTo = copies.records[copies.records.length - 1].record.seq;
  return {
    ok: true, length: verdict.length, head: verdict.head.hash, headSeq: verdict.head.seq,
    segments: { records: copiedTo, pending: verdict.head.seq - copiedTo },
    anchors: { count: anchored.anchors.length, latestSeq: Math.max(0, ...anchored.anchors.map((a) => a.seq)) },
  };
}

/**
 * Checks the audit trail and moves the checkpoint: from the checkpoint when there is one (the records
 * after it, see `verifySinceCheckpoint`), else, with `full`, or whenever the short check finds anything
 * off, from genesis (`verifyStoredChain`). A chain that holds but ends before a head once found intact
 * is broken (`detectedBy: 'checkpoint'`): records were cut off together with their copies and anchors.
 * Tampering with records before the checkpoint that leaves the checkpointed record, the head and the
 * anchors after it alone (an edit in place, a record deleted) is found by the full check only.
 */
export async function checkStoredChain(store: Pick<AuditStore, 'chain' | 'segments' | 'anchors' | 'checkpoints'>, now: Date, options: { full: boolean }): Promise<ChainCheck> {
  const saved = await store.checkpoints.read();
  const short = saved && !options.full ? await verifySinceCheckpoint(store, saved.checkpoint) : undefined;
  const verdict = short ?? (await verifyStoredChain(store));
  if (!verdict.ok) return verdict;
  if (saved && verdict.headSeq < saved.checkpoint.seq) {
    const reason = `the chain ends at seq ${verdict.headSeq}, but it was found intact up to seq ${saved.checkpoint.seq} on ${saved.checkpoint.at} (records removed with their copies and anchors)`;
    return { ok: false, length: verdict.length, brokenAt: verdict.headSeq + 1, reason, tampering: 'truncated', detectedBy: 'checkpoint', findings: [`checkpoint: ${reason}`] };
  }
  const at = now.toISOString();
  const lastFull = short && saved ? { seq: saved.checkpoint.fullSeq, at: saved.checkpoint.fullAt } : { seq: verdict.headSeq, at };
  await store.checkpoints.save({ seq: verdict.headSeq, hash: verdict.head, at, fullSeq: lastFull.seq, fullAt: lastFull.at }, saved?.etag);
  return { ...verdict, checked: { scope: short ? 'checkpoint' : 'full', fromSeq: short && saved ? saved.checkpoint.seq : 0, at, lastFull } };
}
