import { TableClient } from '@azure/data-tables';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { resolveSettings } from './bindings/binding-expressions';
import { BindingRuntime } from './bindings/binding-runtime';
import { StorageBindings } from './bindings/storage-bindings';
import { DurableHttpApi, durableClientData, LinkBase } from './durable/durable-http-api';
import { EntityEngine } from './durable/entity-engine';
import { InstanceStore } from './durable/instance-store';
import { OrchestrationEngine } from './durable/orchestration-engine';
import { resolveFunctionKey } from './http/function-keys';
import { buildRoutes, HostHttpServer, HttpRoute, PlainResponse } from './http/http-server';
import { AzuriteHandle, startAzurite } from './storage/azurite-server';
import { BlobListener } from './triggers/blob-listener';
import { EventHubBroker, HubEvent } from './triggers/event-hub-broker';
import { QueueListener, QueueOptions } from './triggers/queue-listener';
import { TimerSchedule, timerInfo } from './triggers/timer-scheduler';
import { CoreApi, installCoreApi, RegisteredFunction } from './worker/core-api';
import type { RpcHttpData, RpcTypedData } from './worker/core-types';
import { FunctionInvoker, InvocationOutcome, triggerOf } from './worker/function-invoker';
import { FunctionRunner } from './worker/function-runner';
import { createStreamLogger, HostLogger } from './worker/host-logger';
import { fromTypedData, toTypedData, typedDataToBytes } from './worker/rpc-data';

// Like the language worker, provide @azure/functions-core before any app code can load @azure/functions.
installCoreApi();

/** How to start a local host. */
export interface LocalHostOptions {
  /** Module to load as the app (what `package.json` `main` points at). */
  appEntry: string;
  /** host.json to read (route prefix, task hub, queue and Event Hubs settings); defaults apply without one. */
  hostJsonPath?: string;
  /** HTTP port; 0 picks a free one. */
  port?: number;
  /** Azurite state directory; without it (and without a connection string) storage lives in memory. */
  stateDir?: string;
  /** Use this storage instead of starting Azurite (for restart tests that keep storage alive). */
  storageConnectionString?: string;
  functionKey?: string;
  /** App settings to put in the environment before the app loads. */
  settings?: Record<string, string>;
  logger?: HostLogger;
  maxConcurrentActivities?: number;
  queue?: Partial<QueueOptions>;
  blobPollIntervalMs?: number;
  /** Start timers, listeners and recovery (default true). */
  startTriggers?: boolean;
}

interface HostJson {
  routePrefix: string;
  hubName: string;
  queues: QueueOptions;
  eventHubBatchSize: number;
}

function readHostJson(file: string | undefined, settings: Record<string, string | undefined>): HostJson {
  type Section = Record<string, string | number | undefined>;
  const raw = file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { extensions?: Record<string, Section | undefined> }) : {};
  const ext = raw.extensions ?? {};
  const hub = String(ext.durableTask?.hubName ?? 'TestHubName');
  const seconds = (span: string | number | undefined, fallback: number) => {
    const m = span !== undefined ? /^(\d+):(\d+):(\d+)$/.exec(String(span)) : null;
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : fallback;
  };
  return {
    routePrefix: String(ext.http?.routePrefix ?? 'api'),
    hubName: resolveSettings(hub, settings),
    queues: {
      maxDequeueCount: Number(ext.queues?.maxDequeueCount ?? 5),
      visibilityTimeoutSeconds: seconds(ext.queues?.visibilityTimeout, 0),
      maxPollingIntervalMs: Math.min(seconds(ext.queues?.maxPollingInterval, 2) * 1000, 2000),
      batchSize: Number(ext.queues?.batchSize ?? 16),
    },
    eventHubBatchSize: Number(ext.eventHubs?.maxEventBatchSize ?? 100),
  };
}

function retryDelayMs(fn: RegisteredFunction, attempt: number): number | undefined {
  const options = fn.metadata.retryOptions;
  if (!options) return undefined;
  const max = options.maxRetryCount ?? 0;
  if (max !== -1 && attempt > max) return undefined;
  const ms = (d?: { seconds?: number; nanos?: number }) => (Number(d?.seconds ?? 0) * 1000) + Number(d?.nanos ?? 0) / 1e6;
  if (options.retryStrategy === 'exponentialBackoff') {
    return Math.min(ms(options.minimumInterval) * 2 ** (attempt - 1), ms(options.maximumInterval) || Infinity);
  }
  return ms(options.delayInterval);
}

/**
 * A stand-in for `func start`: loads the app through the worker's core API, serves its triggers and
 * bindings against embedded Azurite, and runs Durable orchestrations. See docs/local-host.md.
 */
export class LocalHost {
  readonly baseUrl: string;
  private constructor(
    readonly port: number,
    readonly key: string,
    readonly connectionString: string,
    readonly engine: OrchestrationEngine,
    readonly broker: EventHubBroker,
    readonly storage: StorageBindings,
    readonly functions: RegisteredFunction[],
    private readonly stopHooks: (() => Promise<void> | void)[],
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Starts storage, loads the app, and serves it. */
  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const logger = options.logger ?? createStreamLogger((line) => process.stdout.write(line));
    const stopHooks: (() => Promise<void> | void)[] = [];
    let azurite: AzuriteHandle | undefined;
    const connectionString = options.storageConnectionString ?? (azurite = await startAzurite(options.stateDir)).connectionString;
    if (azurite) stopHooks.push(() => azurite!.stop());
    for (const [name, value] of Object.entries(options.settings ?? {})) process.env[name] = value;
    process.env.AzureWebJobsStorage = connectionString;
    const settings = process.env as Record<string, string | undefined>;
    const key = resolveFunctionKey(options.functionKey, options.stateDir);
    const hostJson = readHostJson(options.hostJsonPath, settings);

    const core = installCoreApi();
    await import(options.appEntry);
    const functions = [...core.functions.values()];
    const invoker = new FunctionInvoker(core, logger);
    const storage = new StorageBindings(connectionString);
    const broker = await EventHubBroker.open(connectionString);
    const store = await InstanceStore.open(connectionString, hostJson.hubName);
    const routes = buildRoutes(functions, hostJson.routePrefix);

    let links: LinkBase | undefined;
    let rpcBaseUrl = '';
    const bindings = new BindingRuntime(settings, storage, broker, () => durableClientData(links as LinkBase, rpcBaseUrl));
    const runner = new FunctionRunner(invoker, bindings);
    const byTrigger = (type: string) => (name: string) => {
      const fn = core.functions.get(name);
      return fn && triggerOf(fn).type === type ? fn : undefined;
    };
    const engine = new OrchestrationEngine(store, { orchestrator: byTrigger('orchestrationTrigger'), activity: byTrigger('activityTrigger') }, runner, logger, {
      maxConcurrentActivities: options.maxConcurrentActivities ?? 10 * os.cpus().length,
    });
    stopHooks.unshift(() => engine.stop());
    const entityFunctions = new Map(functions.filter((f) => triggerOf(f).type === 'entityTrigger').map((f) => [f.metadata.name.toLowerCase(), f]));
    const entities = await EntityEngine.open(connectionString, hostJson.hubName, (name) => entityFunctions.get(name), runner, logger);

    const triggers = new TriggerDispatch(runner, logger);
    let api: DurableHttpApi | undefined;
    const server: HostHttpServer = new HostHttpServer(routes, key, {
      invokeHttp: (route, request, params) => triggers.http(route, request, params),
      invokeAdmin: (name, body) => triggers.admin(core, storage, name, body),
      durable: (method, path, query, body): Promise<PlainResponse> =>
        api ? api.handle(method, path, query, body) : Promise.resolve({ status: 503, body: { error: 'Starting.' } }),
      status: () => ({ status: 200, body: { state: 'Running', functions: functions.map((f) => f.metadata.name) } }),
    }, logger);
    stopHooks.unshift(() => {
      triggers.stopped = true;
    });
    const { port, rpcPort } = await server.listen(options.port ?? 7071);
    stopHooks.unshift(() => server.close());
    process.env.WEBSITE_HOSTNAME = `127.0.0.1:${port}`;
    links = { webhookBase: `http://127.0.0.1:${port}/runtime/webhooks/durabletask`, taskHub: hostJson.hubName, key };
    rpcBaseUrl = `http://127.0.0.1:${rpcPort}/durabletask/`;
    api = new DurableHttpApi(engine, store, entities, links);

    if (options.startTriggers !== false) {
      const receipts = TableClient.fromConnectionString(connectionString, 'DpsLocalBlobReceipts', { allowInsecureConnection: true });
      await receipts.createTable();
      for (const fn of functions) {
        const trigger = triggerOf(fn);
        const type = trigger.type.toLowerCase();
        if (type === 'timertrigger') {
          const schedule = new TimerSchedule(resolveSettings(String(trigger.schedule), settings), (info) => triggers.fire(fn, { json: JSON.stringify(info) }, {}).then(() => undefined));
          schedule.start(Boolean(trigger.runOnStartup));
          stopHooks.unshift(() => schedule.stop());
        } else if (type === 'queuetrigger') {
          const name = resolveSettings(String(trigger.queueName), settings);
          const listener = new QueueListener(storage.queues.getQueueClient(name), storage.queues.getQueueClient(`${name}-poison`), { ...hostJson.queues, ...options.queue },
            async (d) => (await triggers.fire(fn, { string: d.text }, d.metadata)).ok, logger);
          listener.start();
          stopHooks.unshift(() => listener.stop());
        } else if (type === 'blobtrigger') {
          const pattern = resolveSettings(String(trigger.path), settings);
          const listener = new BlobListener(fn.metadata.name, pattern, storage.blobs, receipts, storage.queues.getQueueClient('webjobs-blobtrigger-poison'),
            options.blobPollIntervalMs ?? 1000, async (d) => (await triggers.fire(fn, { bytes: d.bytes }, d.metadata)).ok, logger);
          listener.start();
          stopHooks.unshift(() => listener.stop());
        } else if (type === 'eventhubtrigger') {
          const hub = resolveSettings(String(trigger.eventHubName), settings);
          const many = trigger.cardinality === 'many';
          broker.subscribe(hub, fn.metadata.name, many ? hostJson.eventHubBatchSize : 1, (events) => triggers.eventHub(fn, events, many));
        }
      }
      await broker.start();
      stopHooks.unshift(() => broker.stop());
      await entities.recover();
      const resumed = await engine.recover();
      if (resumed > 0) logger.host(`resumed ${resumed} orchestration instance(s) from storage`);
    }
    for (const hook of core.hooks.get('appStart') ?? []) await hook({ hookData: {}, appHookData: {}, functionAppDirectory: process.cwd() });
    return new LocalHost(port, key, connectionString, engine, broker, storage, functions, stopHooks);
  }

  /** Stops triggers, the HTTP servers and (if it started it) Azurite. */
  async stop(): Promise<void> {
    for (const hook of this.stopHooks) await hook();
  }
}

/** Turns trigger events into invocations, with the function's retry policy where the host applies one. */
class TriggerDispatch {
  /** Set when the host stops, so a retry policy without a limit does not outlive the host. */
  stopped = false;

  constructor(
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
  ) {}

  /** Runs a non-HTTP trigger, retrying per the function's `retry` options. */
  async fire(fn: RegisteredFunction, data: RpcTypedData, metadata: Record<string, unknown>): Promise<InvocationOutcome> {
    for (let attempt = 1; ; attempt++) {
      const retryContext = fn.metadata.retryOptions ? { retryCount: attempt - 1, maxRetryCount: fn.metadata.retryOptions.maxRetryCount ?? 0 } : undefined;
      const outcome = await this.runner.run(fn, data, metadata, { retryContext });
      const delay = outcome.ok || this.stopped ? undefined : retryDelayMs(fn, attempt);
      if (delay === undefined) return outcome;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
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

  /** The admin API: invokes any non-HTTP function with `{"input": "..."}`, answering 202 at once. */
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
    else if (type === 'eventhubtrigger') run = () => this.fire(fn, { json: JSON.stringify([input === undefined ? null : tryJson(input)]) }, {});
    else if (type === 'blobtrigger') {
      run = async () => {
        const bytes = await storage.readBlob(input ?? '');
        if (bytes) await this.fire(fn, { bytes }, { BlobTrigger: input });
      };
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
