import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import { packJson, unpackJson } from '../storage/entity-json';
import type { HostLogger } from '../worker/host-logger';

/** One event in the in-process hub. */
export interface HubEvent {
  sequenceNumber: number;
  enqueuedTimeUtc: string;
  body: unknown;
}

/** A consumer (an Event Hubs-triggered function) reading one hub from its checkpoint. */
interface Subscription {
  hub: string;
  consumer: string;
  maxBatchSize: number;
  checkpoint: number;
  handler: (events: HubEvent[]) => Promise<void>;
  busy: boolean;
}

const BATCH_LIMIT = 100;
/** How long a stopping host waits for Event Hubs consumers to catch up. */
const DRAIN_TIMEOUT_MS = 30_000;
const pad = (n: number) => String(n).padStart(12, '0');

/**
 * The local stand-in for Event Hubs: `eventHub` output bindings append here, Event Hubs triggers read
 * in batches from a per-function checkpoint. Events and checkpoints live in a table, so a restarted
 * host delivers what its consumers had not yet checkpointed; events every consumer of a hub has
 * checkpointed are deleted, and a hub nobody reads keeps its events in the table only.
 */
export class EventHubBroker {
  private readonly logs = new Map<string, HubEvent[]>();
  private readonly nextSeq = new Map<string, number>();
  private readonly subscriptions: Subscription[] = [];
  /** Highest sequence number deleted from the table, per hub. */
  private readonly purged = new Map<string, number>();
  private stopped = false;

  private constructor(
    private readonly table: TableClient,
    private readonly logger: HostLogger,
    private readonly durable: () => Promise<void>,
  ) {}

  /**
   * Opens the broker's table (events, checkpoints and sequence heads of every hub); `durable` resolves
   * once what was written is on disk (a publish waits for it).
   */
  static async open(connectionString: string, tableName: string, logger: HostLogger, durable: () => Promise<void> = () => Promise.resolve()): Promise<EventHubBroker> {
    const table = TableClient.fromConnectionString(connectionString, tableName, { allowInsecureConnection: true });
    await table.createTable();
    return new EventHubBroker(table, logger, durable);
  }

  /** Registers a consumer; call `start` after all subscriptions are made. */
  subscribe(hub: string, consumer: string, maxBatchSize: number, handler: (events: HubEvent[]) => Promise<void>): void {
    this.subscriptions.push({ hub: hub.toLowerCase(), consumer, maxBatchSize, checkpoint: -1, handler, busy: false });
  }

  /** Loads checkpoints, sequence heads and the events consumers still need, then delivers what is outstanding. */
  async start(): Promise<void> {
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: "PartitionKey eq 'checkpoint' or PartitionKey eq 'head'" } })) {
      if (row.partitionKey === 'head') this.nextSeq.set(String(row.rowKey), Number(row.next));
      const sub = this.subscriptions.find((s) => `${s.hub}.${s.consumer}` === row.rowKey);
      if (row.partitionKey === 'checkpoint' && sub) sub.checkpoint = Number(row.sequenceNumber);
    }
    for (const hub of new Set(this.subscriptions.map((s) => s.hub))) {
      const low = this.lowestCheckpoint(hub);
      this.purged.set(hub, low);
      const filter = odata`PartitionKey eq ${hub} and RowKey gt ${pad(low)}`;
      for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        this.log(hub).push({ sequenceNumber: Number(row.rowKey), enqueuedTimeUtc: String(row.enqueuedTimeUtc), body: unpackJson(row, 'b') });
      }
    }
    for (const sub of this.subscriptions) this.wake(sub);
  }

  /** Appends events to a hub (persisted before this resolves) and wakes its consumers. */
  async publish(hub: string, bodies: unknown[]): Promise<void> {
    if (bodies.length === 0) return;
    const key = hub.toLowerCase();
    const now = new Date().toISOString();
    const events = bodies.map((body) => {
      const seq = this.nextSeq.get(key) ?? 0;
      this.nextSeq.set(key, seq + 1);
      return { sequenceNumber: seq, enqueuedTimeUtc: now, body };
    });
    // The head is saved first: a crash then leaves a gap in the numbers, never a number used twice.
    await this.table.upsertEntity({ partitionKey: 'head', rowKey: key, next: this.nextSeq.get(key) as number }, 'Replace');
    const actions: TransactionAction[] = events.map((e) => ['upsert', { partitionKey: key, rowKey: pad(e.sequenceNumber), enqueuedTimeUtc: e.enqueuedTimeUtc, ...packJson('b', e.body) }]);
    for (let i = 0; i < actions.length; i += BATCH_LIMIT) await this.table.submitTransaction(actions.slice(i, i + BATCH_LIMIT));
    await this.durable();
    const log = this.log(key);
    log.push(...events);
    log.sort((a, b) => a.sequenceNumber - b.sequenceNumber);
    for (const sub of this.subscriptions) if (sub.hub === key) this.wake(sub);
    if (!this.subscriptions.some((sub) => sub.hub === key)) log.length = 0;
  }

  /**
   * Drains, then stops: delivers what was published and waits for batches in flight, so a stopping host
   * leaves nothing behind for storage that is about to go away (bounded by `drainTimeoutMs`).
   */
  async stop(drainTimeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    const until = Date.now() + drainTimeoutMs;
    const outstanding = (sub: Subscription) => this.log(sub.hub).some((e) => e.sequenceNumber > sub.checkpoint);
    while (Date.now() < until && this.subscriptions.some((sub) => sub.busy || outstanding(sub))) {
      for (const sub of this.subscriptions) if (!sub.busy && outstanding(sub)) this.wake(sub);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.stopped = true;
    while (this.subscriptions.some((sub) => sub.busy)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private log(hub: string): HubEvent[] {
    let log = this.logs.get(hub);
    if (!log) this.logs.set(hub, (log = []));
    return log;
  }

  /** Delivers what the consumer has not checkpointed, in the background; a storage error is logged, and the next publish retries. */
  private wake(sub: Subscription): void {
    this.pump(sub).catch((error: Error) => this.logger.host(`event hub ${sub.hub}, consumer ${sub.consumer}: ${error.message}`));
  }

  private async pump(sub: Subscription): Promise<void> {
    if (sub.busy) return;
    sub.busy = true;
    try {
      while (!this.stopped) {
        const batch = this.log(sub.hub).filter((e) => e.sequenceNumber > sub.checkpoint).slice(0, sub.maxBatchSize);
        if (batch.length === 0) break;
        await sub.handler(batch);
        if (this.stopped) break;
        sub.checkpoint = batch[batch.length - 1].sequenceNumber;
        await this.table.upsertEntity({ partitionKey: 'checkpoint', rowKey: `${sub.hub}.${sub.consumer}`, sequenceNumber: sub.checkpoint });
        this.trim(sub.hub);
      }
    } finally {
      sub.busy = false;
    }
  }

  private lowestCheckpoint(hub: string): number {
    return Math.min(...this.subscriptions.filter((s) => s.hub === hub).map((s) => s.checkpoint));
  }

  /** Forgets the events every consumer of the hub has checkpointed past, in memory and in the table. */
  private trim(hub: string): void {
    const low = this.lowestCheckpoint(hub);
    const log = this.log(hub);
    const keep = log.findIndex((e) => e.sequenceNumber > low);
    log.splice(0, keep < 0 ? log.length : keep);
    const from = (this.purged.get(hub) ?? -1) + 1;
    if (low < from) return;
    this.purged.set(hub, low);
    const deletes: TransactionAction[] = [];
    for (let seq = from; seq <= low; seq++) deletes.push(['delete', { partitionKey: hub, rowKey: pad(seq) }]);
    void (async () => {
      for (let i = 0; i < deletes.length; i += BATCH_LIMIT) await this.table.submitTransaction(deletes.slice(i, i + BATCH_LIMIT));
    })().catch((error: Error) => this.logger.host(`event hub ${hub}: deleting consumed events: ${error.message}`));
  }
}
