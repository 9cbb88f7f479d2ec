import { ChainVerification, verifyChain } from '../../Dps.Domain/audit/chain-verify';
import { EMPTY_CHAIN_HEAD } from '../../Dps.Domain/audit/chain-record';
import type { AuditChainTable } from '../storage/audit-chain-table';

/**
 * The verdict on the stored chain, in the public shape `{ok: true, length, head}` (head: the last
 * record's hash, `headSeq` its number); a broken one names `brokenAt`, the reason and the event id there.
 */
export type StoredChainVerification =
  | { ok: true; length: number; head: string; headSeq: number }
  | (Extract<ChainVerification, { ok: false }> & { eventId?: string });

/**
 * Verifies the records in the table against the stored head, so records cut off or rewritten at the
 * end are caught too. Records without a head row are checked against the empty head: a missing head
 * is itself tampering.
 */
export async function verifyStoredChain(chain: AuditChainTable): Promise<StoredChainVerification> {
  const { records, head } = await chain.readChain();
  const verdict = verifyChain(records, head ?? EMPTY_CHAIN_HEAD);
  if (verdict.ok) return { ok: true, length: verdict.length, head: verdict.head.hash, headSeq: verdict.head.seq };
  const at = records[verdict.brokenAt - 1];
  return at && typeof at.eventId === 'string' ? { ...verdict, eventId: at.eventId } : verdict;
}
