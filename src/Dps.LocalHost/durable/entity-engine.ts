import { randomUUID } from 'node:crypto';
import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import { packJson, unpackJson } from '../storage/entity-json';
import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { fromTypedData } from '../worker/rpc-data';

/** One queued operation on an entity (a signal from a client or from another entity). */
interface EntityOperation {
  id: string;
  name: string;
  /** JSON text of the input, as the SDK expects it. */
  input?: string;
}

/** What the entity function returns for a batch (`EntityState` in durable-functions). */
interface EntityBatchResult {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input?: string }[];
}

/** A signal an entity sent, kept in its outbox until delivered. */
interface OutgoingSignal {
  name: string;
  key: string;
  operation: string;
  input?: string;
  /** The target inbox row it becomes. */
  rowKey: string;
}

const STATE = 'state';
/** Operations per batch: the batch's state write, deletes and outbox must fit one entity-group transaction (100). */
const MAX_BATCH = 50;

/**
 * Durable entities for the local host: operations signalled through the client API (and by entities to
 * each other) are persisted in an inbox, then run in order, one batch at a time per entity, through the
 * entity function; the state is kept in table `<hub>Entities`. A batch commits atomically (state, consumed
 * operations, outgoing signals in an outbox). Orchestrator `callEntity` /
 * `signalEntity` are not supported (see docs/local-host.md).
 */
export class EntityEngine {
  private readonly locks = new Map<string, Promise<void>>();

  private constructor(
    private readonly table: TableClient,
    private readonly entityFunction: (name: string) => RegisteredFunction | undefined,
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
    private readonly durable: () => Promise<void>,
  ) {}

  /** Opens the entities table of a task hub; `durable` resolves once what was written is on disk. */
  static async open(connectionString: string, taskHub: string, entityFunction: (name: string) => RegisteredFunction | undefined, runner: FunctionRunner, logger: HostLogger, durable: () => Promise<void>): Promise<EntityEngine> {
    const table = TableClient.fromConnectionString(connectionString, `${taskHub.replace(/[^A-Za-z0-9]/g, '')}Entities`, { allowInsecureConnection: true });
    await table.createTable();
    return new EntityEngine(table, entityFunction, runner, logger, durable);
  }

  /** Queues an operation (persisted before this resolves) and runs it in the background. */
  async signal(name: string, key: string, operation: string, inputJson: string | undefined): Promise<void> {
    const entity = name.toLowerCase();
    if (!this.entityFunction(entity)) throw Object.assign(new Error(`No entity function named '${name}' is registered.`), { status: 404 });
    // The entity id becomes a table partition key, which cannot hold these characters.
    if (!key || /[\\/#?\u0000-\u001f]/.test(key)) throw Object.assign(new Error(`Invalid entity key '${key}': use characters other than / \\ # ? and control characters.`), { status: 400 });
    await this.enqueue(entity, key, newOperationRowKey(), { id: randomUUID(), name: operation, input: inputJson });
  }

  private async enqueue(entity: string, key: string, rowKey: string, op: EntityOperation): Promise<void> {
    await this.table.upsertEntity({ partitionKey: this.partition(entity, key), rowKey, ...packJson('o', op) }, 'Replace');
    await this.durable();
    this.process(entity, key);
  }

  /** The entity's state, or undefined when it does not exist. */
  async read(name: string, key: string): Promise<{ state: unknown } | undefined> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(this.partition(name.toLowerCase(), key), STATE);
      return row.exists ? { state: unpackJson(row, 's') } : undefined;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /** Sends signals left in outboxes and runs operations left in inboxes by an earlier run of the host. */
  async recover(): Promise<void> {
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: "RowKey ge 'out-' and RowKey lt 'out.'" } })) {
      await this.sendOutbox(String(row.partitionKey), String(row.rowKey), unpackJson<OutgoingSignal[]>(row, 's') ?? []);
    }
    const pending = new Set<string>();
    for await (const row of this.table.listEntities({ queryOptions: { filter: "RowKey ge 'op-' and RowKey lt 'op.'", select: ['PartitionKey'] } })) pending.add(String(row.partitionKey));
    for (const partition of pending) {
      const [entity, key] = this.split(partition);
      this.process(entity, key);
    }
  }

  private partition(entity: string, key: string): string {
    return `@${entity}@${key}`;
  }

  private split(partition: string): [string, string] {
    const at = partition.indexOf('@', 1);
    return [partition.slice(1, at), partition.slice(at + 1)];
  }

  private process(entity: string, key: string): void {
    const id = this.partition(entity, key);
    const run = (this.locks.get(id) ?? Promise.resolve())
      .then(() => this.drain(entity, key))
      .catch((error: Error) => this.logger.host(`entity ${id}: ${error.message}`))
      // The last batch of an entity leaves no entry behind, so the map holds busy entities only.
      .finally(() => this.locks.get(id) === run && this.locks.delete(id));
    this.locks.set(id, run);
  }

  private async drain(entity: string, key: string): Promise<void> {
    const pk = this.partition(entity, key);
    const rows: { rowKey: string; op: EntityOperation }[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${pk} and RowKey ge 'op-' and RowKey lt 'op.'` } })) {
      rows.push({ rowKey: String(row.rowKey), op: unpackJson<EntityOperation>(row, 'o') as EntityOperation });
      if (rows.length === MAX_BATCH) break;
    }
    if (rows.length === 0) return;
    const fn = this.entityFunction(entity);
    if (!fn) return;
    const current = await this.read(entity, key);
    const binding = {
      self: { name: entity, key },
      exists: current !== undefined,
      state: current === undefined ? undefined : JSON.stringify(current.state),
      batch: rows.map((r) => ({ id: r.op.id, name: r.op.name, input: r.op.input, isSignal: true })),
    };
    const outcome = await this.runner.run(fn, { string: JSON.stringify(binding) }, {}, { instanceId: pk });
    if (!outcome.ok) {
      this.logger.host(`entity ${pk}: the batch failed (${outcome.error.message}); its operations stay queued`);
      return;
    }
    const result = fromTypedData(outcome.response.returnValue) as EntityBatchResult;
    // State, consumed operations and outgoing signals commit together: a crash leaves all or none.
    const outgoing: OutgoingSignal[] = (result.signals ?? []).map((s) => ({ name: s.target.name, key: s.target.key, operation: s.name, input: s.input || undefined, rowKey: newOperationRowKey() }));
    const outbox = `out-${newOperationRowKey().slice(3)}`;
    const actions: TransactionAction[] = [
      ['upsert', { partitionKey: pk, rowKey: STATE, exists: result.entityExists, ...packJson('s', result.entityExists && result.entityState !== undefined ? JSON.parse(result.entityState) : undefined) }, 'Replace'],
      ...rows.map((r): TransactionAction => ['delete', { partitionKey: pk, rowKey: r.rowKey }]),
    ];
    if (outgoing.length > 0) actions.push(['upsert', { partitionKey: pk, rowKey: outbox, ...packJson('s', outgoing) }, 'Replace']);
    await this.table.submitTransaction(actions);
    await this.durable();
    if (outgoing.length > 0) await this.sendOutbox(pk, outbox, outgoing);
    if (rows.length === MAX_BATCH) this.process(entity, key);
  }

  /**
   * Delivers a committed batch's signals, then forgets them. Each has its row key fixed in the outbox,
   * so a redelivery after a crash rewrites the same inbox row instead of queueing the operation twice.
   */
  private async sendOutbox(pk: string, outboxRowKey: string, signals: OutgoingSignal[]): Promise<void> {
    for (const s of signals) {
      const entity = s.name.toLowerCase();
      if (!this.entityFunction(entity)) {
        this.logger.host(`entity ${pk}: signal '${s.operation}' to @${s.name}@${s.key} dropped: no entity function named '${s.name}' is registered`);
        continue;
      }
      await this.enqueue(entity, s.key, s.rowKey, { id: s.rowKey.slice(-36), name: s.operation, input: s.input });
    }
    await this.table.deleteEntity(pk, outboxRowKey);
  }
}

/** Inbox row keys sort by arrival, so operations run in the order they were signalled. */
function newOperationRowKey(): string {
  return `op-${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
}
