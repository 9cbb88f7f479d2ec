import type { TableClient } from '@azure/data-tables';
import type { ChainHead } from '../../Dps.Domain/audit/chain-record';
import { CHAIN_PARTITION } from './audit-chain-table';
import { isNotFound, isWriteConflict } from './storage-errors';

// In the chain's partition; 'verified' sorts after every record row ('r-…'), so chain walks never see it.
const CHECKPOINT_ROW = 'verified';

/**
 * How far the chain was last found intact: the head then (`seq`, `hash`) and when (`at`), and the last
 * verification from genesis (`fullSeq`, `fullAt`). A later check starts from here instead of from seq 1.
 */
export interface AuditCheckpoint extends ChainHead {
  at: string;
  fullSeq: number;
  fullAt: string;
}

/** The verification checkpoint of the audit chain: one row next to the chain, written only after a check that held. */
export class AuditCheckpoints {
  constructor(private readonly table: TableClient) {}

  /** The checkpoint with its ETag, or undefined before the first check that held. */
  async read(): Promise<{ checkpoint: AuditCheckpoint; etag: string } | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(CHAIN_PARTITION, CHECKPOINT_ROW);
      const checkpoint = { seq: row.seq, hash: row.hash, at: row.at, fullSeq: row.fullSeq, fullAt: row.fullAt };
      // A row that is not a checkpoint is treated as none: the next check then starts from genesis.
      if (!Number.isInteger(checkpoint.seq) || typeof checkpoint.hash !== 'string' || typeof checkpoint.at !== 'string' || !Number.isInteger(checkpoint.fullSeq) || typeof checkpoint.fullAt !== 'string') return undefined;
      return { checkpoint: checkpoint as AuditCheckpoint, etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Saves a checkpoint over the one read (`etag`; none: create). Another checker saving first wins:
   * its checkpoint is as good, so a conflict is not an error.
   */
  async save(checkpoint: AuditCheckpoint, etag: string | undefined): Promise<void> {
    const entity = { partitionKey: CHAIN_PARTITION, rowKey: CHECKPOINT_ROW, ...checkpoint };
    try {
      if (etag) await this.table.updateEntity(entity, 'Replace', { etag });
      else await this.table.createEntity(entity);
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
    }
  }
}
