import { createHash } from 'node:crypto';
import { AuditEvent } from './audit-event';

/** One link of the audit chain; `hash = sha256(prevHash + canonicalJson(event))` in hex. */
export interface ChainRecord {
  /** Position in the chain, from 1. */
  seq: number;
  eventId: string;
  prevHash: string;
  hash: string;
  event: AuditEvent;
}

/** The end of a chain: the last record's seq and hash. */
export interface ChainHead {
  seq: number;
  hash: string;
}

/** The prevHash of the first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** The head of a chain without records; the first append links to it. */
export const EMPTY_CHAIN_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** The hash linking an event (already in canonical JSON) to the hash before it. */
export function chainHash(prevHash: string, canonicalEvent: string): string {
  return createHash('sha256').update(prevHash + canonicalEvent, 'utf8').digest('hex');
}
