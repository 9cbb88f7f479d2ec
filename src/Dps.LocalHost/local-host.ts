import { TableClient } from '@azure/data-tables';
import { resolveSettings } from './bindings/binding-expressions';
import { BindingRuntime } from './bindings/binding-runtime';
import { StorageBindings } from './bindings/storage-bindings';
import { DurableHttpApi, durableClientData, LinkBase } from './durable/durable-http-api';
import { EntityEngine } from './durable/entity-engine';
import { DEFAULT_RETENTION_MS, InstanceRetention } from './durable/instance-retention';
import { InstanceStore } from './durable/instance-store';
import { OrchestrationEngine } from './durable/orchestration-engine';
import { resolveFunctionKey } from './http/function-keys';
import { readHostJson } from './host-json';
import { resolveBodyLimits } from './http/body-limits';
import { buildRoutes, HostHttpServer, PlainResponse } from './http/http-server';
import { AzuriteHandle, startAzurite } from './storage/azurite-server';
import { BlobListener } from './triggers/blob-listener';
import { blobTriggerData } from './triggers/blob-trigger-data';
import { EventHubBroker } from './triggers/event-hub-broker';
import { QueueListener, QueueOptions } from './triggers/queue-listener';
import { TimerSchedule } from './triggers/timer-scheduler';
import { TriggerDispatch } from './triggers/trigger-dispatch';
import { installCoreApi, RegisteredFunction } from './worker/core-api';
import { FunctionInvoker, triggerOf } from './worker/function-invoker';
import { FunctionRunner } from './worker/function-runner';
import { createStreamLogger, HostLogger } from './worker/host-logger';
import { guardUnhandledRejections, RejectionGuard } from './worker/unhandled-rejections';

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
  /**
   * With a state directory: every write the host acknowledges or acts on (a start, a raised event, an
   * episode, an entity batch, a published event) waits until embedded Azurite has written its files
   * (default true). False leaves that to Azurite's own 5-second save, as the benchmark compares.
   */
  durableWrites?: boolean;
  /** Finished instances older than this are purged (default 7 days, as the Durable extension's cleanup). */
  finishedInstanceRetentionMs?: number;
  /** Names of the host's own tables (an app can keep names it used before). */
  tableNames?: Partial<HostTableNames>;
  /** Largest request body read for keyed routes, admin and Durable APIs (default: FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, else 100 MiB); larger is a 413 unread. */
  maxRequestBodyBytes?: number;
  /** Largest request body read for anonymous routes (default 64 KiB); GET, HEAD and OPTIONS bodies are never read. */
  maxAnonymousRequestBodyBytes?: number;
  /** Log the stack of an unhandled rejection too (default: one line naming what failed). */
  debug?: boolean;
}

/** The tables the host keeps its own bookkeeping in (besides the task hub's `<hub>Instances` / `<hub>Entities`). */
export interface HostTableNames {
  /** In-process Event Hubs: events, checkpoints and sequence heads (default `LocalHostEventHubs`). */
  eventHubs: string;
  /** Blob trigger receipts, one per blob version handled (default `LocalHostBlobReceipts`). */
  blobReceipts: string;
}

const DEFAULT_TABLE_NAMES: HostTableNames = { eventHubs: 'LocalHostEventHubs', blobReceipts: 'LocalHostBlobReceipts' };

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
    private readonly rejections: RejectionGuard,
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  /** Starts storage, loads the app, and serves it; on failure stops what it had started, then throws. */
  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const stopHooks: (() => Promise<void> | void)[] = [];
    const logger = options.logger ?? createStreamLogger((line) => process.stdout.write(line));
    // Installed first and removed last: a rejection while starting or stopping is logged too, not fatal.
    const rejections = guardUnhandledRejections((line) => logger.host(line), options.debug ?? false);
    try {
      return await LocalHost.boot(options, logger, rejections, stopHooks);
    } catch (error) {
      // The start failure is the one to report; a failure to clean up after it would hide it.
      await runStopHooks(stopHooks).catch(() => undefined);
      rejections.uninstall();
      throw error;
    }
  }

  private static async boot(options: LocalHostOptions, logger: HostLogger, rejections: RejectionGuard, stopHooks: (() => Promise<void> | void)[]): Promise<LocalHost> {
    let azurite: AzuriteHandle | undefined;
    const connectionString = options.storageConnectionString ?? (azurite = await startAzurite(options.stateDir)).connectionString;
    if (azurite) stopHooks.push(() => azurite!.stop());
    stopHooks.push(() => rejections.uninstall());
    const durable = azurite && options.durableWrites !== false ? azurite.flush : () => Promise.resolve();
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
    const tableNames = { ...DEFAULT_TABLE_NAMES, ...options.tableNames };
    const broker = await EventHubBroker.open(connectionString, tableNames.eventHubs, logger, durable);
    const store = await InstanceStore.open(connectionString, hostJson.hubName, durable);
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
      maxConcurrentActivities: options.maxConcurrentActivities ?? hostJson.maxConcurrentActivities,
      maxConcurrentOrchestrators: hostJson.maxConcurrentOrchestrators,
    }, { send: (sent) => entities.fromOrchestration(sent) });
    stopHooks.unshift(() => engine.stop());
    const entityFunctions = new Map(functions.filter((f) => triggerOf(f).type === 'entityTrigger').map((f) => [f.metadata.name.toLowerCase(), f]));
    const entities: EntityEngine = await EntityEngine.open(connectionString, hostJson.hubName, (name) => entityFunctions.get(name), runner, logger, durable,
      (instanceId, requestId, response) => engine.entityResponse(instanceId, requestId, response));

    const triggers = new TriggerDispatch(runner, logger);
    let api: DurableHttpApi | undefined;
    const server: HostHttpServer = new HostHttpServer(routes, key, {
      invokeHttp: (route, request, params) => triggers.http(route, request, params),
      invokeAdmin: (name, body) => triggers.admin(core, storage, name, body),
      durable: (method, path, query, body): Promise<PlainResponse> =>
        api ? api.handle(method, path, query, body) : Promise.resolve({ status: 503, body: { error: 'Starting.' } }),
      status: () => ({ status: 200, body: { state: 'Running', functions: functions.map((f) => f.metadata.name) } }),
    }, logger, resolveBodyLimits(options, settings));
    stopHooks.unshift(() => triggers.stop());
    const { port, rpcPort } = await server.listen(options.port ?? 7071);
    stopHooks.unshift(() => server.close());
    process.env.WEBSITE_HOSTNAME = `127.0.0.1:${port}`;
    links = { webhookBase: `http://127.0.0.1:${port}/runtime/webhooks/durabletask`, taskHub: hostJson.hubName, key };
    rpcBaseUrl = `http://127.0.0.1:${rpcPort}/durabletask/`;
    api = new DurableHttpApi(engine, store, entities, links);

    if (options.startTriggers !== false) {
      const receipts = TableClient.fromConnectionString(connectionString, tableNames.blobReceipts, { allowInsecureConnection: true });
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
            options.blobPollIntervalMs ?? 1000, async (d) => (await triggers.fire(fn, await blobTriggerData(fn, d.path, d.read), d.metadata)).ok, logger);
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
      const retention = new InstanceRetention(store, options.finishedInstanceRetentionMs ?? DEFAULT_RETENTION_MS, logger);
      retention.start();
      stopHooks.unshift(() => retention.stop());
      await entities.recover();
      const resumed = await engine.recover();
      if (resumed > 0) logger.host(`resumed ${resumed} orchestration instance(s) from storage`);
    }
    for (const hook of core.hooks.get('appStart') ?? []) await hook({ hookData: {}, appHookData: {}, functionAppDirectory: process.cwd() });
    return new LocalHost(port, key, connectionString, engine, broker, storage, functions, stopHooks, rejections);
  }

  /** The error lines of promise rejections nothing handled while this host ran (it logged each and kept serving). */
  get unhandledRejections(): readonly string[] {
    return this.rejections.lines;
  }

  /** Stops triggers, the HTTP servers and (if it started it) Azurite. */
  async stop(): Promise<void> {
    await runStopHooks(this.stopHooks);
  }
}

/** Runs every hook in order even if one fails (Azurite must still stop), then throws the first failure. */
async function runStopHooks(hooks: (() => Promise<void> | void)[]): Promise<void> {
  let failure: unknown;
  for (const hook of hooks) {
    try {
      await hook();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) throw failure;
}
