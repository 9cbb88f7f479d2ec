import { TableClient, TransactionAction, odata } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { packJson, unpackJson } from '../storage/entity-json';
import type { HistoryEvent } from './history';
import { LargeMessages, StoredEvent } from './large-messages';

export type RuntimeStatus = 'Pending' | 'Running' | 'Suspended' | 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew';

/** True once an instance can no longer change. */
export function isTerminal(status: RuntimeStatus): boolean {
  return status === 'Completed' || status === 'Failed' || status === 'Terminated';
}

/** The persisted facts about one orchestration instance (its `meta` row). */
export interface InstanceMeta {
  instanceId: string;
  name: string;
  status: RuntimeStatus;
  createdTime: string;
  lastUpdatedTime: string;
  /** JSON text of the input, as the client sent it. */
  input?: string;
  output?: unknown;
  customStatus?: unknown;
  parentInstanceId?: string;
  parentTaskId?: number;
  /** Increments on continue-as-new; history rows carry it so old executions are ignored. */
  generation: number;
  historyRows: number;
}

/** An inbound event persisted before it is acknowledged (external events). */
export interface InboxItem {
  key: string;
  event: HistoryEvent;
}

const META = 'meta';
const historyKey = (generation: number, row: number) =>
  `h${String(generation).padStart(4, '0')}${String(row).padStart(8, '0')}`;
const BATCH_LIMIT = 100;
/**
 * Characters of packed events per history row: 8 properties of 30K characters, about 480 KB as
 * UTF-16, well under the 1 MB entity limit with the status snapshot beside it.
 */
const ROW_CHARS = 240_000;
/** Continuation rows per transaction, to stay under the 4 MB limit of an entity-group transaction. */
const PARTS_PER_TRANSACTION = 4;

/** Splits an episode's events into runs whose JSON fits one history row each (in order). */
function splitIntoRows(events: StoredEvent[]): StoredEvent[][] {
  const rows: StoredEvent[][] = [[]];
  let size = 2;
  for (const event of events) {
    const length = JSON.stringify(event).length + 1;
    if (size + length > ROW_CHARS && rows[rows.length - 1].length > 0) {
      rows.push([]);
      size = 2;
    }
    rows[rows.length - 1].push(event);
    size += length;
  }
  return rows;
}

/**
 * Orchestration state in Azurite (or Azure) Tables: one partition per instance holding the meta row,
 * the history (one row per episode, with continuation rows when an episode is large) and the inbox.
 * An episode commits with its main row, written last; payloads above ~45 KB live in blobs.
 */
export class InstanceStore {
  private constructor(
    private readonly table: TableClient,
    private readonly large: LargeMessages,
    private readonly durable: () => Promise<void>,
  ) {}

  /**
   * Opens (and creates if needed) the instances table of a task hub. `durable` resolves once what was
   * written is on disk; every write that is acknowledged or acted on waits for it.
   */
  static async open(connectionString: string, taskHub: string, durable: () => Promise<void>): Promise<InstanceStore> {
    const name = `${taskHub.replace(/[^A-Za-z0-9]/g, '')}Instances`;
    const table = TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection: true });
    await table.createTable();
    const container = BlobServiceClient.fromConnectionString(connectionString).getContainerClient(LargeMessages.containerName(taskHub));
    return new InstanceStore(table, new LargeMessages(container), durable);
  }

  /** Creates the meta row; false if the instance already exists. */
  async tryCreate(meta: InstanceMeta): Promise<boolean> {
    try {
      await this.table.createEntity(await this.metaEntity(meta));
      await this.durable();
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 409) return false;
      throw error;
    }
  }

  /** Replaces an existing instance with a fresh one (start with an id whose instance has ended). */
  async replace(meta: InstanceMeta): Promise<void> {
    await this.purge(meta.instanceId);
    await this.table.createEntity(await this.metaEntity(meta));
    await this.durable();
  }

  /**
   * Writes one episode. A plain episode is one upsert: the history row carries the instance's status
   * snapshot, so the meta row need not be rewritten (half the cost per step). Episodes that consume
   * inbox rows, end the instance or start a new execution rewrite the meta row in the same
   * entity-group transaction. An episode too large for one row writes continuation rows first; they
   * count only once the main row that names them is written.
   */
  async commitEpisode(meta: InstanceMeta, events: HistoryEvent[] | undefined, consumedInbox: string[]): Promise<void> {
    const pk = meta.instanceId;
    let row: { partitionKey: string; rowKey: string } & Record<string, unknown> | undefined;
    if (events && events.length > 0) {
      const key = historyKey(meta.generation, meta.historyRows - 1);
      const stored = await Promise.all(events.map((e) => this.large.storeEvent(pk, e)));
      const [first, ...rest] = splitIntoRows(stored);
      const parts: TransactionAction[] = rest.map((part, k) => ['upsert', { partitionKey: pk, rowKey: `${key}-${k + 1}`, ...packJson('e', part) }, 'Replace']);
      for (let i = 0; i < parts.length; i += PARTS_PER_TRANSACTION) await this.table.submitTransaction(parts.slice(i, i + PARTS_PER_TRANSACTION));
      row = { partitionKey: pk, rowKey: key, parts: rest.length, ...packJson('e', first), ...(await this.snapshot(meta)) };
    }
    if (row && consumedInbox.length === 0 && !isTerminal(meta.status)) {
      await this.table.upsertEntity(row, 'Replace');
      await this.durable();
      return;
    }
    const actions: TransactionAction[] = [];
    if (row) actions.push(['upsert', row, 'Replace']);
    actions.push(['upsert', await this.metaEntity(meta), 'Replace']);
    const deletes: TransactionAction[] = consumedInbox.map((key) => ['delete', { partitionKey: pk, rowKey: `x${key}` }]);
    // Inbox deletes beyond one batch go in follow-up batches; a leftover row is recognised by its key.
    const first = actions.concat(deletes.slice(0, BATCH_LIMIT - actions.length));
    await this.table.submitTransaction(first);
    for (let i = BATCH_LIMIT - actions.length; i < deletes.length; i += BATCH_LIMIT) {
      await this.table.submitTransaction(deletes.slice(i, i + BATCH_LIMIT));
    }
    await this.durable();
  }

  /** Persists an inbound event before it is acknowledged. */
  async addInbox(instanceId: string, item: InboxItem): Promise<void> {
    const event = await this.large.storeEvent(instanceId, item.event);
    await this.table.upsertEntity({ partitionKey: instanceId, rowKey: `x${item.key}`, ...packJson('e', event) }, 'Replace');
    await this.durable();
  }

  /** Reads an instance's meta row, or undefined. */
  async getMeta(instanceId: string): Promise<InstanceMeta | undefined> {
    try {
      return await this.fromMetaEntity(await this.table.getEntity(instanceId, META));
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Loads an instance whole: meta (with the newest episode's status), the current history, and the unconsumed inbox. */
  async load(instanceId: string): Promise<{ meta: InstanceMeta; history: HistoryEvent[]; inbox: InboxItem[] } | undefined> {
    let meta = await this.getMeta(instanceId);
    if (!meta) return undefined;
    const history: HistoryEvent[] = [];
    const inbox: InboxItem[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${instanceId}` } });
    const prefix = `h${String(meta.generation).padStart(4, '0')}`;
    const historyRows = new Map<string, Record<string, unknown>>();
    for await (const row of rows) {
      const rowKey = String(row.rowKey);
      if (rowKey.startsWith(prefix)) historyRows.set(rowKey.slice(prefix.length), row);
      else if (rowKey.startsWith('x')) inbox.push({ key: rowKey.slice(1), event: await this.large.loadEvent(unpackJson<StoredEvent>(row, 'e') as StoredEvent) });
    }
    // Episodes commit their history row alone, so rows past the meta row's count are valid as long as
    // they follow on; the last one carries the newest status. Continuation rows count only when named.
    const rowName = (n: number) => String(n).padStart(8, '0');
    let count = 0;
    for (let row = historyRows.get(rowName(count)); row; row = historyRows.get(rowName(++count))) {
      const parts = [row, ...Array.from({ length: Number(row.parts ?? 0) }, (_, k) => historyRows.get(`${rowName(count)}-${k + 1}`))];
      if (parts.some((part) => part === undefined)) throw new Error(`instance ${instanceId}: history row ${count} names continuation rows that are missing`);
      for (const part of parts) for (const event of unpackJson<StoredEvent[]>(part as Record<string, unknown>, 'e') ?? []) history.push(await this.large.loadEvent(event));
    }
    if (count > meta.historyRows && !isTerminal(meta.status)) meta = { ...meta, ...(await this.fromSnapshot(historyRows.get(rowName(count - 1)) as Record<string, unknown>)), historyRows: count };
    return { meta, history, inbox };
  }

  /** Lists meta rows, optionally only those in the given statuses. */
  async listMetas(statuses?: RuntimeStatus[]): Promise<InstanceMeta[]> {
    const out: InstanceMeta[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey eq ${META}` } });
    for await (const row of rows) {
      const meta = await this.fromMetaEntity(row);
      if (!statuses || statuses.includes(meta.status)) out.push(meta);
    }
    return out;
  }

  /** Deletes the history rows of an execution that continued as new. */
  async deleteGeneration(instanceId: string, generation: number): Promise<void> {
    const prefix = `h${String(generation).padStart(4, '0')}`;
    const next = `h${String(generation + 1).padStart(4, '0')}`;
    const rows = this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${instanceId} and RowKey ge ${prefix} and RowKey lt ${next}`, select: ['RowKey'] } });
    const deletes: TransactionAction[] = [];
    for await (const row of rows) deletes.push(['delete', { partitionKey: instanceId, rowKey: String(row.rowKey) }]);
    for (let i = 0; i < deletes.length; i += BATCH_LIMIT) await this.table.submitTransaction(deletes.slice(i, i + BATCH_LIMIT));
  }

  /** Deletes every row of an instance; returns whether it existed. */
  async purge(instanceId: string): Promise<boolean> {
    const rows = this.table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${instanceId}`, select: ['RowKey'] } });
    const deletes: TransactionAction[] = [];
    for await (const row of rows) deletes.push(['delete', { partitionKey: instanceId, rowKey: String(row.rowKey) }]);
    for (let i = 0; i < deletes.length; i += BATCH_LIMIT) await this.table.submitTransaction(deletes.slice(i, i + BATCH_LIMIT));
    await this.large.purge(instanceId);
    return deletes.length > 0;
  }

  /** The mutable part of an instance's status, as history rows carry it. */
  private async snapshot(meta: InstanceMeta): Promise<Record<string, string | number>> {
    return { status: meta.status, lastUpdatedTime: meta.lastUpdatedTime, ...packJson('c', await this.large.storeValue(meta.instanceId, meta.customStatus)) };
  }

  private async fromSnapshot(row: Record<string, unknown>): Promise<Pick<InstanceMeta, 'status' | 'lastUpdatedTime' | 'customStatus'>> {
    return { status: row.status as RuntimeStatus, lastUpdatedTime: String(row.lastUpdatedTime), customStatus: await this.large.loadValue(unpackJson(row, 'c')) };
  }

  private async metaEntity(meta: InstanceMeta) {
    const id = meta.instanceId;
    return {
      partitionKey: meta.instanceId,
      rowKey: META,
      name: meta.name,
      status: meta.status,
      createdTime: meta.createdTime,
      lastUpdatedTime: meta.lastUpdatedTime,
      parentInstanceId: meta.parentInstanceId ?? '',
      parentTaskId: meta.parentTaskId ?? -1,
      generation: meta.generation,
      historyRows: meta.historyRows,
      ...packJson('i', await this.large.storeValue(id, meta.input)),
      ...packJson('o', await this.large.storeValue(id, meta.output)),
      ...packJson('c', await this.large.storeValue(id, meta.customStatus)),
    };
  }

  private async fromMetaEntity(row: Record<string, unknown>): Promise<InstanceMeta> {
    return {
      instanceId: String(row.partitionKey),
      name: String(row.name),
      status: row.status as RuntimeStatus,
      createdTime: String(row.createdTime),
      lastUpdatedTime: String(row.lastUpdatedTime),
      input: (await this.large.loadValue(unpackJson(row, 'i'))) as string | undefined,
      output: await this.large.loadValue(unpackJson(row, 'o')),
      customStatus: await this.large.loadValue(unpackJson(row, 'c')),
      parentInstanceId: row.parentInstanceId ? String(row.parentInstanceId) : undefined,
      parentTaskId: Number(row.parentTaskId) >= 0 ? Number(row.parentTaskId) : undefined,
      generation: Number(row.generation ?? 0),
      historyRows: Number(row.historyRows ?? 0),
    };
  }
}
