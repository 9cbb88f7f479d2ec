import { TableClient, TableEntity, TransactionAction, odata } from '@azure/data-tables';
import type { AuditEvent } from '../../Dps.Domain/audit/audit-event';
import { ChainHead, ChainRecord, EMPTY_CHAIN_HEAD } from '../../Dps.Domain/audit/chain-record';
import { canonicalJson } from '../../Dps.Domain/audit/canonical-json';
import { hashedKey } from './table-keys';
import { isNotFound, isWriteConflict } from './storage-errors';

/** Everything of the chain lives in one partition, so records, id index and head commit in one transaction. */
export const CHAIN_PARTITION = 'chain';
const HEAD_ROW = 'head';
const recordRow = (seq: number) => `r-${String(seq).padStart(12, '0')}`;
const indexRow = (eventId: string) => `e-${hashedKey(eventId)}`;

/**
 * At most this many records per commit: a table transaction holds 100 operations, and each record
 * takes two (the record and its event-id index row) plus one for the head.
 */
export const MAX_RECORDS_PER_COMMIT = 49;

/** The head row as read, with the ETag a commit must match (none while the chain is empty). */
export interface StoredHead {
  head: ChainHead;
  etag?: string;
}

type Entity = Record<string, unknown>;

function toEntity(record: ChainRecord): TableEntity<Entity> {
  const event = canonicalJson(record.event);
  if (!event.ok) throw new Error(`audit record ${record.seq}: ${event.error}`);
  return { partitionKey: CHAIN_PARTITION, rowKey: recordRow(record.seq), seq: record.seq, eventId: record.eventId, prevHash: record.prevHash, hash: record.hash, event: event.value };
}

// Stored values are passed on as found (an unparsable event stays a string) so verification judges them.
function fromEntity(entity: Entity): ChainRecord {
  let event: unknown = entity.event;
  try {
    event = JSON.parse(String(entity.event));
  } catch {
    // left as the stored text: verifyChain reports it as an invalid event
  }
  return { seq: entity.seq as number, eventId: entity.eventId as string, prevHash: entity.prevHash as string, hash: entity.hash as string, event: event as AuditEvent };
}

/**
 * The audit hash chain in a table: one row per record (RowKey = zero-padded seq), one index row per
 * event id for the redelivery lookup, and the head row whose ETag serialises writers. Records are
 * insert-only; a commit inserts records and index rows and moves the head in one transaction.
 */
export class AuditChainTable {
  constructor(readonly table: TableClient) {}

  /** The head and its ETag; the empty chain's head when no record was ever written. */
  async readHead(): Promise<StoredHead> {
    try {
      const row = await this.table.getEntity<Entity>(CHAIN_PARTITION, HEAD_ROW);
      return { head: { seq: row.seq as number, hash: row.hash as string }, etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return { head: EMPTY_CHAIN_HEAD };
      throw error;
    }
  }

  /** The stored records of the given event ids (ids not in the chain are absent from the map). */
  async findByEventIds(eventIds: string[]): Promise<Map<string, ChainRecord>> {
    const found = await Promise.all([...new Set(eventIds)].map(async (id) => {
      try {
        const index = await this.table.getEntity<Entity>(CHAIN_PARTITION, indexRow(id));
        const record = await this.table.getEntity<Entity>(CHAIN_PARTITION, recordRow(index.seq as number));
        return [id, fromEntity(record)] as const;
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    }));
    return new Map(found.filter((entry) => entry !== undefined));
  }

  /**
   * Inserts records (at most MAX_RECORDS_PER_COMMIT, following `expected.head`) and moves the head,
   * all or nothing. Returns false when another writer got there first (head moved or seq taken).
   */
  async commit(records: ChainRecord[], expected: StoredHead): Promise<boolean> {
    if (records.length === 0 || records.length > MAX_RECORDS_PER_COMMIT) throw new Error(`commit takes 1 to ${MAX_RECORDS_PER_COMMIT} records, got ${records.length}`);
    const last = records[records.length - 1];
    const head = { partitionKey: CHAIN_PARTITION, rowKey: HEAD_ROW, seq: last.seq, hash: last.hash };
    const actions: TransactionAction[] = records.flatMap((record): TransactionAction[] => [
      ['create', toEntity(record)],
      ['create', { partitionKey: CHAIN_PARTITION, rowKey: indexRow(record.eventId), eventId: record.eventId, seq: record.seq }],
    ]);
    actions.push(expected.etag ? ['update', head, 'Replace', { etag: expected.etag }] : ['create', head]);
    try {
      await this.table.submitTransaction(actions);
      return true;
    } catch (error) {
      if (isWriteConflict(error)) return false;
      throw error;
    }
  }

  /** Records with fromSeq <= seq <= toSeq, in seq order (by row key). */
  async readRecords(fromSeq: number, toSeq: number): Promise<ChainRecord[]> {
    const filter = odata`PartitionKey eq ${CHAIN_PARTITION} and RowKey ge ${recordRow(fromSeq)} and RowKey le ${recordRow(toSeq)}`;
    return this.list(filter);
  }

  /** The stored head (undefined when there is no head row) and the records up to it, in row-key order. */
  async readChain(): Promise<{ records: ChainRecord[]; head?: ChainHead }> {
    // The head is read first and bounds the walk: records a writer appends meanwhile lie beyond it, so a
    // concurrent append cannot look like records cut off. Without a head every record row is read
    // ('r.' sorts right after every 'r-…' key), so records without a head are still caught.
    const stored = await this.readHead();
    const upTo = stored.etag ? odata`RowKey le ${recordRow(stored.head.seq)}` : odata`RowKey lt ${'r.'}`;
    const records = await this.list(`${odata`PartitionKey eq ${CHAIN_PARTITION} and RowKey ge ${'r-'}`} and ${upTo}`);
    return { records, head: stored.etag ? stored.head : undefined };
  }

  private async list(filter: string): Promise<ChainRecord[]> {
    const records: ChainRecord[] = [];
    for await (const entity of this.table.listEntities<Entity>({ queryOptions: { filter } })) records.push(fromEntity(entity));
    return records;
  }
}
