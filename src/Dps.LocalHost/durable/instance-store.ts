import { TableClient, TransactionAction, odata } from '@azure/data-tables';
import { packJson, unpackJson } from '../storage/entity-json';
import type { HistoryEvent } from './history';

export type RuntimeStatus = 'Pending' | 'Running' | 'Completed' | 'Failed' | 'Terminated' | 'ContinuedAsNew';

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

/** The mutable part of an instance's status, as history rows carry it. */
function snapshot(meta: InstanceMeta): Record<string, string | number> {
  return { status: meta.status, lastUpdatedTime: meta.lastUpdatedTime, ...packJson('c', meta.customStatus) };
}

function fromSnapshot(row: Record<string, unknown>): Pick<InstanceMeta, 'status' | 'lastUpdatedTime' | 'customStatus'> {
  return { status: row.status as RuntimeStatus, lastUpdatedTime: String(row.lastUpdatedTime), customStatus: unpackJson(row, 'c') };
}

/**
 * Orchestration state in Azurite (or Azure) Tables: one partition per instance holding the meta row,
 * the history (one row per episode) and the inbox. An episode commits in one entity-group transaction.
 */
export class InstanceStore {
  private constructor(
    private readonly table: TableClient,
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
    return new InstanceStore(table, durable);
  }

  /** Creates the meta row; false if the instance already exists. */
  async tryCreate(meta: InstanceMeta): Promise<boolean> {
    try {
      await this.table.createEntity(this.metaEntity(meta));
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
    await this.table.createEntity(this.metaEntity(meta));
    await this.durable();
  }

  /**
   * Writes one episode. A plain episode is one upsert: the history row carries the instance's status
   * snapshot, so the meta row need not be rewritten (half the cost per step). Episodes that consume
   * inbox rows, end the instance or start a new execution rewrite the meta row in the same
   * entity-group transaction.
   */
  async commitEpisode(meta: InstanceMeta, events: HistoryEvent[] | undefined, consumedInbox: string[]): Promise<void> {
    const pk = meta.instanceId;
    const row = events && events.length > 0
      ? { partitionKey: pk, rowKey: historyKey(meta.generation, meta.historyRows - 1), ...packJson('e', events), ...snapshot(meta) }
      : undefined;
    if (row && consumedInbox.length === 0 && !isTerminal(meta.status)) {
      await this.table.upsertEntity(row, 'Replace');
      await this.durable();
      return;
    }
    const actions: TransactionAction[] = [];
    if (row) actions.push(['upsert', row, 'Replace']);
    actions.push(['upsert', this.metaEntity(meta), 'Replace']);
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
    await this.table.upsertEntity({ partitionKey: instanceId, rowKey: `x${item.key}`, ...packJson('e', item.event) }, 'Replace');
    await this.durable();
  }

  /** Reads an instance's meta row, or undefined. */
  async getMeta(instanceId: string): Promise<InstanceMeta | undefined> {
    try {
      return this.fromMetaEntity(await this.table.getEntity(instanceId, META));
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
    const historyRows = new Map<number, Record<string, unknown>>();
    for await (const row of rows) {
      const rowKey = String(row.rowKey);
      if (rowKey.startsWith(prefix)) historyRows.set(Number(rowKey.slice(prefix.length)), row);
      else if (rowKey.startsWith('x')) inbox.push({ key: rowKey.slice(1), event: unpackJson<HistoryEvent>(row, 'e') as HistoryEvent });
    }
    // Episodes commit their history row alone, so rows past the meta row's count are valid as long as
    // they follow on; the last one carries the newest status.
    let count = 0;
    for (let row = historyRows.get(count); row; row = historyRows.get(++count)) history.push(...(unpackJson<HistoryEvent[]>(row, 'e') ?? []));
    if (count > meta.historyRows && !isTerminal(meta.status)) meta = { ...meta, ...fromSnapshot(historyRows.get(count - 1) as Record<string, unknown>), historyRows: count };
    return { meta, history, inbox };
  }

  /** Lists meta rows, optionally only those in the given statuses. */
  async listMetas(statuses?: RuntimeStatus[]): Promise<InstanceMeta[]> {
    const out: InstanceMeta[] = [];
    const rows = this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey eq ${META}` } });
    for await (const row of rows) {
      const meta = this.fromMetaEntity(row);
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
    return deletes.length > 0;
  }

  private metaEntity(meta: InstanceMeta) {
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
      ...packJson('i', meta.input),
      ...packJson('o', meta.output),
      ...packJson('c', meta.customStatus),
    };
  }

  private fromMetaEntity(row: Record<string, unknown>): InstanceMeta {
    return {
      instanceId: String(row.partitionKey),
      name: String(row.name),
      status: row.status as RuntimeStatus,
      createdTime: String(row.createdTime),
      lastUpdatedTime: String(row.lastUpdatedTime),
      input: unpackJson<string>(row, 'i'),
      output: unpackJson(row, 'o'),
      customStatus: unpackJson(row, 'c'),
      parentInstanceId: row.parentInstanceId ? String(row.parentInstanceId) : undefined,
      parentTaskId: Number(row.parentTaskId) >= 0 ? Number(row.parentTaskId) : undefined,
      generation: Number(row.generation ?? 0),
      historyRows: Number(row.historyRows ?? 0),
    };
  }
}
