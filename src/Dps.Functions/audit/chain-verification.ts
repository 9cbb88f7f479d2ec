import { ChainVerification, verifyChain } from '../../Dps.Domain/audit/chain-verify';
import { EMPTY_CHAIN_HEAD } from '../../Dps.Domain/audit/chain-record';
import type { AuditChainTable } from '../adapters/audit-chain-table';

/** The verdict on the stored chain; a broken one also names the event id stored at `brokenAt`, if any. */
export type StoredChainVerification = ChainVerification & { eventId?: string };

/**
 * Verifies the records in the table against the stored head, so records cut off or rewritten at the
 * end are caught too. Records without a head row are checked against the empty head: a missing head
 * is itself tampering.
 */
export async function verifyStoredChain(chain: AuditChainTable): Promise<StoredChainVerification> {
  const { records, head } = await chain.readChain();
  const verdict = verifyChain(records, head ?? EMPTY_CHAIN_HEAD);
  if (verdict.ok) return verdict;
  const at = records[verdict.brokenAt - 1];
  return at && typeof at.eventId === 'string' ? { ...verdict, eventId: at.eventId } : verdict;
}
