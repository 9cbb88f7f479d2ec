import { AuditAnchors } from './audit-anchors';
import { AuditChainTable } from './audit-chain-table';
import { AuditCheckpoints } from './audit-checkpoint';
import { AuditDeadLetters } from './audit-dead-letters';
import { AuditSegments } from './audit-segments';
import type { DpsSettings } from '../settings';
import type { StorageClients } from './storage-clients';

/** The audit trail's storage: the chain table, its verification checkpoint, its blob segments, the head anchors and the dead letters. */
export interface AuditStore {
  chain: AuditChainTable;
  checkpoints: AuditCheckpoints;
  segments: AuditSegments;
  anchors: AuditAnchors;
  deadLetters: AuditDeadLetters;
}

/** Opens the audit table and container the settings name (creating them on first use). */
export async function openAuditStore(storage: StorageClients, settings: Pick<DpsSettings, 'tables' | 'containers'>, recordsPerSegment?: number): Promise<AuditStore> {
  const table = await storage.table(settings.tables.audit);
  const container = storage.blobs.getContainerClient(settings.containers.audit);
  await container.createIfNotExists();
  const chain = new AuditChainTable(table);
  return { chain, checkpoints: new AuditCheckpoints(table), segments: new AuditSegments(container, table, chain, recordsPerSegment), anchors: new AuditAnchors(container), deadLetters: new AuditDeadLetters(container) };
}
