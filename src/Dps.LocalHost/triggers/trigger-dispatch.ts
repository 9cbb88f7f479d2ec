import { splitBlobPath, StorageBindings } from '../bindings/storage-bindings';
import type { HttpRoute, PlainResponse } from '../http/http-server';
import type { CoreApi, RegisteredFunction } from '../worker/core-api';
import type { RpcHttpData, RpcTypedData } from '../worker/core-types';
import { InvocationOutcome, triggerOf } from '../worker/function-invoker';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { fromTypedData, toTypedData, typedDataToBytes } from '../worker/rpc-data';
import type { HubEvent } from './event-hub-broker';
import { timerInfo } from './timer-scheduler';
import { blobTriggerData } from './blob-trigger-data';

/** Triggers whose function-level `retry` policy the host applies (queue and blob triggers retry by dequeue count instead). */
const RETRYING_TRIGGERS = new Set(['timertrigger', 'eventhubtrigger']);

function retryDelayMs(fn: RegisteredFunction, attempt: number): number | undefined {
  const options = fn.metadata.retryOptions;
  if (!options || !RETRYING_TRIGGERS.has(triggerOf(fn).type.toLowerCase())) return undefined;
  const max = options.maxRetryCount ?? 0;
  if (max !== -1 && attempt > max) return undefined;
  const ms = (d?: { seconds?: number; nanos?: number }) => (Number(d?.seconds ?? 0) * 1000) + Number(d?.nanos ?? 0) / 1e6;
  if (options.retryStrategy === 'exponentialBackoff') {
    return Math.min(ms(options.minimumInterval) * 2 ** (attempt - 1), ms(options.maximumInterval) || Infinity);
  }
  return ms(options.delayInterval);
}

/** Turns trigger events into invocations, with the function's retry policy where the host applies one. */
export class TriggerDispatch {
  private stopped = false;
  /** Wakes the retry delays in progress. */
  private readonly sleepers = new Set<() => void>();

  constructor(
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
  ) {}

  /** Ends retrying: a retry policy without a limit (or a long delay) must not outlive the host. */
  stop(): void {
    this.stopped = true;
    for (const wake of this.sleepers) wake();
  }

  /** Runs a non-HTTP trigger, retrying per the function's `retry` options where its trigger has them. */
  async fire(fn: RegisteredFunction, data: RpcTypedData, metadata: Record<string, unknown>): Promise<InvocationOutcome> {
    for (let attempt = 1; ; attempt++) {
      const retryContext = fn.metadata.retryOptions ? { retryCount: attempt - 1, maxRetryCount: fn.metadata.retryOptions.maxRetryCount ?? 0 } : undefined;
      const outcome = await this.runner.run(fn, data, metadata, { retryContext });
      const delay = outcome.ok || this.stopped ? undefined : retryDelayMs(fn, attempt);
      if (delay === undefined) return outcome;
      await this.sleep(delay);
      if (this.stopped) return outcome;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Delivers a batch (`cardinality: many`) or single events to an Event Hubs trigger. */
  async eventHub(fn: RegisteredFunction, events: HubEvent[], many: boolean): Promise<void> {
    const meta = (batch: HubEvent[]) => ({
      EnqueuedTimeUtcArray: batch.map((e) => e.enqueuedTimeUtc),
      SequenceNumberArray: batch.map((e) => e.sequenceNumber),
      OffsetArray: batch.map((e) => String(e.sequenceNumber)),
      PartitionKeyArray: batch.map(() => null),
      PropertiesArray: batch.map(() => ({})),
      PartitionContext: { PartitionId: '0', ConsumerGroup: '$Default' },
    });
    const batches = many ? [events] : events.map((e) => [e]);
    for (const batch of batches) {
      const data = many ? { json: JSON.stringify(batch.map((e) => e.body)) } : toTypedData(batch[0].body);
      const metadata = many ? meta(batch) : { EnqueuedTimeUtc: batch[0].enqueuedTimeUtc, SequenceNumber: batch[0].sequenceNumber, Offset: String(batch[0].sequenceNumber) };
      const outcome = await this.fire(fn, data, metadata);
      if (!outcome.ok) this.logger.host(`event hub trigger ${fn.metadata.name}: batch of ${batch.length} failed and was checkpointed past (as Event Hubs does without a retry policy)`);
    }
  }

  /** Runs an HTTP-triggered function and converts its HTTP response. */
  async http(route: HttpRoute, request: RpcHttpData, params: Record<string, string>): Promise<PlainResponse> {
    const metadata: Record<string, unknown> = { ...Object.fromEntries(Object.entries(request.query ?? {}).map(([k, v]) => [`Query.${k}`, v])), ...params };
    const outcome = await this.runner.run(route.fn, { http: request }, metadata);
    if (!outcome.ok) return { status: 500, body: { error: `Function '${route.fn.metadata.name}' failed (invocation ${outcome.invocationId}); see the host log.` } };
    const httpOut = fromTypedData(outcome.response.returnValue) as RpcHttpData | undefined;
    if (!httpOut || typeof httpOut !== 'object') return { status: 204 };
    return { status: Number(httpOut.statusCode ?? 200), headers: httpOut.headers ?? {}, body: typedDataToBytes(httpOut.body) };
  }

  /** The admin API: invokes any non-HTTP function with `{"input": "..."}`, answering 202 before it runs. */
  async admin(core: CoreApi, storage: StorageBindings, name: string, body: string): Promise<PlainResponse> {
    const fn = core.functions.get(name);
    if (!fn) return { status: 404, body: { error: `No function named '${name}'.` } };
    let input: string | undefined;
    try {
      input = body.trim() ? (JSON.parse(body) as { input?: string }).input : undefined;
    } catch {
      return { status: 400, body: { error: 'The body must be JSON like {"input": "..."}.' } };
    }
    const type = triggerOf(fn).type.toLowerCase();
    let run: () => Promise<unknown>;
    if (type === 'timertrigger') run = () => this.fire(fn, { json: JSON.stringify(timerInfo(undefined, new Date(), false)) }, {});
    else if (type === 'queuetrigger') run = () => this.fire(fn, { string: input ?? '' }, { QueueTrigger: input ?? '', DequeueCount: 1 });
    else if (type === 'eventhubtrigger') {
      const event = input === undefined ? null : tryJson(input);
      run = () => this.fire(fn, triggerOf(fn).cardinality === 'many' ? { json: JSON.stringify([event]) } : toTypedData(event), {});
    } else if (type === 'blobtrigger') {
      const path = input ?? '';
      try {
        splitBlobPath(path);
      } catch (error) {
        return { status: 400, body: { error: `'${name}' has a blobTrigger, so {"input": ...} names its blob: ${(error as Error).message}` } };
      }
      if (!(await storage.blobExists(path))) return { status: 404, body: { error: `No blob '${path}'.` } };
      const read = async () => {
        const bytes = await storage.readBlob(path);
        if (!bytes) throw new Error(`blob '${path}' was deleted before the invocation`);
        return bytes;
      };
      run = async () => this.fire(fn, await blobTriggerData(fn, path, read), { BlobTrigger: path });
    } else return { status: 400, body: { error: `'${name}' has a ${triggerOf(fn).type}; the admin API invokes timer, queue, blob and Event Hubs functions.` } };
    void run().catch((error) => this.logger.host(`admin invoke ${name}: ${(error as Error).message}`));
    return { status: 202 };
  }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
