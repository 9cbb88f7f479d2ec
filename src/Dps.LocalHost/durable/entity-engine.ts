import { randomUUID } from 'node:crypto';
import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import { packJson, unpackJson } from '../storage/entity-json';
import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { fromTypedData } from '../worker/rpc-data';
import { entityRequestOf, EntityResponse } from './entity-requests';
import type { HistoryEvent } from './history';

/** One queued operation on an entity (a signal from a client or from another entity). */
interface EntityOperation {
  id: string;
  name: string;
  /** JSON text of the input, as the SDK expects it. */
  input?: string;
  /** Sent by an orchestration (`id` is its request id); `answer` for a call, whose result goes back to it. */
  from?: { instanceId: string; answer: boolean };
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

/** The answer to an orchestration's call, kept in the outbox until delivered. */
interface OutgoingResponse {
  respondTo: string;
  requestId: string;
  response: EntityResponse;
}

/** Delivers a call's answer to the calling orchestration (persisted there before this resolves). */
export type EntityResponder = (instanceId: string, requestId: string, response: EntityResponse) => Promise<void>;

const STATE = 'state';
/**
 * Operations per batch: the batch's state write, its deletes, a `done-` row per orchestration request and
 * the outbox must fit one entity-group transaction (100).
 */
const MAX_BATCH = 48;

/**
 * Durable entities for the local host: operations signalled through the client API (and by entities to
 * each other) are persisted in an inbox, then run in order, one batch at a time per entity, through the
 * entity function; the state is kept in table `<hub>Entities`. A batch commits atomically (state, consumed
 * operations, outgoing signals and call answers in an outbox). Orchestrations' `callEntity` / `signalEntity`
 * arrive through `fromOrchestration`; each request that ran leaves a `done-<request id>` row, so one sent
 * again after a crash runs once.
 */
export class EntityEngine {
  private readonly locks = new Map<string, Promise<void>>();

  private constructor(
    private readonly table: TableClient,
    private readonly entityFunction: (name: string) => RegisteredFunction | undefined,
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
    private readonly durable: () => Promise<void>,
    private readonly respond: EntityResponder,
  ) {}

  /** Opens the entities table of a task hub; `durable` resolves once what was written is on disk. */
  static async open(connectionString: string, taskHub: string, entityFunction: (name: string) => RegisteredFunction | undefined, runner: FunctionRunner, logger: HostLogger, durable: () => Promise<void>, respond: EntityResponder): Promise<EntityEngine> {
    const table = TableClient.fromConnectionString(connectionString, `${taskHub.replace(/[^A-Za-z0-9]/g, '')}Entities`, { allowInsecureConnection: true });
    await table.createTable();
    return new EntityEngine(table, entityFunction, runner, logger, durable, respond);
  }

  /** Queues an operation (persisted before this resolves) and runs it in the background. */
  async signal(name: string, key: string, operation: string, inputJson: string | undefined): Promise<void> {
    const entity = name.toLowerCase();
    if (!this.entityFunction(entity)) throw Object.assign(new Error(`No entity function named '${name}' is registered.`), { status: 404 });
    const problem = keyProblem(key);
    if (problem) throw Object.assign(new Error(problem), { status: 400 });
    await this.enqueue(entity, key, newOperationRowKey(), { id: randomUUID(), name: operation, input: inputJson });
  }

  /**
   * Queues the operation of an orchestration's EventSent (persisted before this resolves). Its inbox row
   * key comes from the recorded event, so sending it again after a crash rewrites the same row; a call
   * the entity cannot take is answered with the error at once, a signal is dropped with a log line.
   */
  async fromOrchestration(sent: HistoryEvent): Promise<void> {
    const { name, key, request } = entityRequestOf(sent);
    const entity = name.toLowerCase();
    const problem = this.entityFunction(entity) ? keyProblem(key) : `No entity function named '${name}' is registered.`;
    if (problem) {
      if (request.signal) this.logger.host(`orchestration ${request.parent}: signal '${request.op}' to ${sent.InstanceId} dropped: ${problem}`);
      else await this.respond(request.parent, request.id, { result: JSON.stringify(problem), exceptionType: 'Error' });
      return;
    }
    // Sorted by the episode's time, then by the order the orchestrator sent them in.
    const rowKey = `op-${Date.parse(sent.Timestamp).toString().padStart(15, '0')}-${String(sent.EventId).padStart(7, '0')}-${request.id}`;
    await this.enqueue(entity, key, rowKey, { id: request.id, name: request.op, input: request.input, from: { instanceId: request.parent, answer: !request.signal } });
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
      await this.sendOutbox(String(row.partitionKey), String(row.rowKey), unpackJson<(OutgoingSignal | OutgoingResponse)[]>(row, 's') ?? []);
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
    // An orchestration request runs once: not again after it ran, nor twice when an episode re-sent it.
    const ran = await this.alreadyRan(pk, rows);
    const requests = new Set<string>();
    const batch = rows.filter((r) => !ran.has(r.rowKey) && (!r.op.from || (!requests.has(r.op.id) && requests.add(r.op.id))));
    if (batch.length === 0) {
      // Requests sent again after a crash that had already run: forget them.
      await this.table.submitTransaction(rows.map((r): TransactionAction => ['delete', { partitionKey: pk, rowKey: r.rowKey }]));
      await this.durable();
      this.process(entity, key);
      return;
    }
    const current = await this.read(entity, key);
    const binding = {
      self: { name: entity, key },
      exists: current !== undefined,
      state: current === undefined ? undefined : JSON.stringify(current.state),
      batch: batch.map((r) => ({ id: r.op.id, name: r.op.name, input: r.op.input, isSignal: !r.op.from?.answer })),
    };
    const outcome = await this.runner.run(fn, { string: JSON.stringify(binding) }, {}, { instanceId: pk });
    if (!outcome.ok) {
      this.logger.host(`entity ${pk}: the batch failed (${outcome.error.message}); its operations stay queued`);
      return;
    }
    const result = fromTypedData(outcome.response.returnValue) as EntityBatchResult;
    // State, consumed operations and outgoing signals commit together: a crash leaves all or none.
    const outgoing: (OutgoingSignal | OutgoingResponse)[] = [
      ...(result.signals ?? []).map((s) => ({ name: s.target.name, key: s.target.key, operation: s.name, input: s.input || undefined, rowKey: newOperationRowKey() })),
      ...batch.flatMap((r, i) => (r.op.from?.answer ? [{ respondTo: r.op.from.instanceId, requestId: r.op.id, response: responseOf(result.results?.[i], r.op, pk) }] : [])),
    ];
    const outbox = `out-${newOperationRowKey().slice(3)}`;
    const actions: TransactionAction[] = [
      ['upsert', { partitionKey: pk, rowKey: STATE, exists: result.entityExists, ...packJson('s', result.entityExists && result.entityState !== undefined ? JSON.parse(result.entityState) : undefined) }, 'Replace'],
      ...rows.map((r): TransactionAction => ['delete', { partitionKey: pk, rowKey: r.rowKey }]),
      ...batch.filter((r) => r.op.from).map((r): TransactionAction => ['upsert', { partitionKey: pk, rowKey: doneRowKey(r.op.id) }, 'Replace']),
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
  private async sendOutbox(pk: string, outboxRowKey: string, messages: (OutgoingSignal | OutgoingResponse)[]): Promise<void> {
    for (const s of messages) {
      if ('respondTo' in s) {
        await this.respond(s.respondTo, s.requestId, s.response);
        continue;
      }
      const entity = s.name.toLowerCase();
      if (!this.entityFunction(entity)) {
        this.logger.host(`entity ${pk}: signal '${s.operation}' to @${s.name}@${s.key} dropped: no entity function named '${s.name}' is registered`);
        continue;
      }
      await this.enqueue(entity, s.key, s.rowKey, { id: s.rowKey.slice(-36), name: s.operation, input: s.input });
    }
    await this.table.deleteEntity(pk, outboxRowKey);
  }

  /** Inbox rows of orchestration requests that already ran (their `done-` row exists). */
  private async alreadyRan(pk: string, rows: { rowKey: string; op: EntityOperation }[]): Promise<Set<string>> {
    const ran = new Set<string>();
    for (const r of rows.filter((row) => row.op.from)) {
      try {
        await this.table.getEntity(pk, doneRowKey(r.op.id));
        ran.add(r.rowKey);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    }
    return ran;
  }
}

/** Why an entity key cannot be used, or undefined: the entity id becomes a table partition key, which cannot hold these characters. */
function keyProblem(key: string): string | undefined {
  return !key || /[\\/#?\u0000-\u001f]/.test(key) ? `Invalid entity key '${key}': use characters other than / \\ # ? and control characters.` : undefined;
}

function doneRowKey(requestId: string): string {
  return `done-${requestId}`;
}

/** The answer to a call from the operation's result; a failed operation becomes an error the orchestrator throws. */
function responseOf(result: { isError: boolean; result?: string } | undefined, op: EntityOperation, pk: string): EntityResponse {
  if (!result?.isError) return { result: result?.result };
  // durable-functions serialises the thrown error with JSON.stringify, which keeps no message ("{}").
  const detail = result.result && result.result !== '{}' ? `: ${result.result}` : '';
  return { result: JSON.stringify(`entity operation '${op.name}' on ${pk} failed${detail}`), exceptionType: 'Error' };
}

/** Inbox row keys sort by arrival, so operations run in the order they were signalled. */
function newOperationRowKey(): string {
  return `op-${Date.now().toString().padStart(15, '0')}-${randomUUID()}`;
}
