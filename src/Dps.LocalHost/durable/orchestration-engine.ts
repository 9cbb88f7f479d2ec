import { randomUUID } from 'node:crypto';
import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { fromTypedData } from '../worker/rpc-data';
import { ConcurrencyPool } from './concurrency-pool';
import {
  completedId,
  EventType,
  failureFields,
  historyEvent,
  HistoryEvent,
  isSchedulingEvent,
  RetryMark,
} from './history';
import { InboxItem, InstanceMeta, InstanceStore, isTerminal, RuntimeStatus } from './instance-store';
import {
  actionInputJson,
  ActionType,
  consumesSequenceNumber,
  describeAction,
  flattenActions,
  OrchestratorAction,
  OrchestratorReply,
} from './orchestration-actions';
import { retryDelayMs } from './retry-delay';

const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';
/** setTimeout cannot wait longer than ~24.8 days; longer timers re-arm. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** An orchestration instance the engine is driving. */
interface LiveInstance {
  meta: InstanceMeta;
  history: HistoryEvent[];
  /** New events not yet shown to the orchestrator. */
  pending: HistoryEvent[];
  /** Inbox row keys of pending events that were persisted. */
  pendingInboxKeys: string[];
  appliedKeys: Set<string>;
  running: boolean;
  /** Serialises episodes with terminate so a commit never overwrites a newer state. */
  lock: Promise<void>;
  timers: Map<number, NodeJS.Timeout>;
  settled: Promise<void>;
  settle: () => void;
}

/** Looks up registered functions by trigger kind. */
export interface FunctionCatalog {
  orchestrator(name: string): RegisteredFunction | undefined;
  activity(name: string): RegisteredFunction | undefined;
}

/** Options for the engine. */
export interface EngineOptions {
  maxConcurrentActivities: number;
}

/** Thrown for requests the Durable HTTP API answers with a 4xx status. */
export class DurableRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The local stand-in for the Durable extension's orchestration runtime: it builds the history payload,
 * replays orchestrators through `durable-functions`, turns their actions into scheduled work (activities,
 * timers, sub-orchestrations), and persists every episode before acting on it.
 */
export class OrchestrationEngine {
  private readonly live = new Map<string, LiveInstance>();
  private readonly activityPool: ConcurrencyPool;
  private stopped = false;

  constructor(
    private readonly store: InstanceStore,
    private readonly catalog: FunctionCatalog,
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
    options: EngineOptions,
  ) {
    this.activityPool = new ConcurrencyPool(options.maxConcurrentActivities);
  }

  /** Starts an orchestration; rejects a running duplicate id with 409 and an unknown name with 404. */
  async startNew(name: string, instanceId: string | undefined, inputJson: string | undefined, parent?: { id: string; taskId: number }): Promise<string> {
    if (!this.catalog.orchestrator(name)) throw new DurableRequestError(404, `No orchestrator function named '${name}' is registered.`);
    const id = instanceId ?? randomUUID().replace(/-/g, '');
    validateInstanceId(id);
    const now = new Date().toISOString();
    const meta: InstanceMeta = {
      instanceId: id, name, status: 'Pending', createdTime: now, lastUpdatedTime: now, input: inputJson,
      parentInstanceId: parent?.id, parentTaskId: parent?.taskId, generation: 0, historyRows: 0,
    };
    if (!(await this.store.tryCreate(meta))) {
      const existing = await this.meta(id);
      if (existing && !isTerminal(existing.status)) {
        throw new DurableRequestError(409, `An instance with ID '${id}' already exists and is ${existing.status}.`);
      }
      this.live.delete(id);
      await this.store.replace(meta);
    }
    const inst = this.track(meta, [], []);
    inst.pending.push(historyEvent(EventType.ExecutionStarted, new Date(), { Name: name, Input: inputJson }));
    this.schedule(inst);
    return id;
  }

  /** Resumes every instance that was Pending or Running when the host last stopped. */
  async recover(): Promise<number> {
    const metas = await this.store.listMetas(['Pending', 'Running']);
    for (const meta of metas) await this.resume(meta.instanceId);
    return metas.length;
  }

  /** Delivers an external event; 404 for an unknown instance, 410 for one that has ended. */
  async raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): Promise<void> {
    const inst = await this.liveOrThrow(instanceId);
    const key = `event-${randomUUID()}`;
    const event = historyEvent(EventType.EventRaised, new Date(), { Name: eventName, Input: inputJson, Key: key });
    await this.store.addInbox(instanceId, { key, event });
    inst.pending.push(event);
    inst.pendingInboxKeys.push(key);
    this.schedule(inst);
  }

  /** Terminates a running instance; 404 unknown, 410 already ended. */
  async terminate(instanceId: string, reason: string): Promise<void> {
    const inst = await this.liveOrThrow(instanceId);
    await this.withLock(inst, async () => {
      if (isTerminal(inst.meta.status)) throw new DurableRequestError(410, `Instance '${instanceId}' has already ${inst.meta.status.toLowerCase()}.`);
      await this.finish(inst, 'Terminated', reason, [historyEvent(EventType.ExecutionTerminated, new Date(), { Input: JSON.stringify(reason) })]);
    });
  }

  private withLock(inst: LiveInstance, job: () => Promise<void>): Promise<void> {
    const run = inst.lock.then(job);
    inst.lock = run.catch(() => undefined);
    return run;
  }

  /**
   * An instance's current facts: from memory while the engine drives it (the table's meta row is
   * rewritten only on state changes, see InstanceStore.commitEpisode), else from storage.
   */
  async meta(instanceId: string): Promise<InstanceMeta | undefined> {
    const inst = this.live.get(instanceId);
    return inst ? { ...inst.meta } : this.store.getMeta(instanceId);
  }

  /** Every instance's facts (optionally in the given statuses), live ones from memory. */
  async metas(statuses?: RuntimeStatus[]): Promise<InstanceMeta[]> {
    const stored = await this.store.listMetas();
    const current = stored.map((m) => (this.live.has(m.instanceId) ? { ...(this.live.get(m.instanceId) as LiveInstance).meta } : m));
    return statuses ? current.filter((m) => statuses.includes(m.status)) : current;
  }

  /** Resolves when the instance reaches a terminal state (used by tests and the CLI). */
  async waitForCompletion(instanceId: string): Promise<InstanceMeta | undefined> {
    const inst = this.live.get(instanceId);
    if (inst) await inst.settled;
    return this.store.getMeta(instanceId);
  }

  /** The current history of an instance (live copy if running, else from storage). */
  async history(instanceId: string): Promise<HistoryEvent[]> {
    const inst = this.live.get(instanceId);
    if (inst) return inst.history;
    return (await this.store.load(instanceId))?.history ?? [];
  }

  /** Stops timers and new work; in-flight invocations finish but their results are not applied. */
  stop(): void {
    this.stopped = true;
    for (const inst of this.live.values()) for (const t of inst.timers.values()) clearTimeout(t);
  }

  private track(meta: InstanceMeta, history: HistoryEvent[], inbox: InboxItem[]): LiveInstance {
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const appliedKeys = new Set(history.filter((e) => e.Key).map((e) => e.Key as string));
    const fresh = inbox.filter((i) => !appliedKeys.has(i.key));
    const inst: LiveInstance = {
      meta, history, pending: fresh.map((i) => i.event), pendingInboxKeys: inbox.map((i) => i.key),
      appliedKeys, running: false, lock: Promise.resolve(), timers: new Map(), settled, settle,
    };
    this.live.set(meta.instanceId, inst);
    return inst;
  }

  private async liveOrThrow(instanceId: string): Promise<LiveInstance> {
    const inst = this.live.get(instanceId) ?? (await this.resume(instanceId));
    if (!inst) {
      const meta = await this.store.getMeta(instanceId);
      if (!meta) throw new DurableRequestError(404, `No instance with ID '${instanceId}' found.`);
      throw new DurableRequestError(410, `Instance '${instanceId}' has already ${meta.status.toLowerCase()}.`);
    }
    return inst;
  }

  /** Loads a non-terminal instance into memory and re-derives its in-flight work from history. */
  private async resume(instanceId: string): Promise<LiveInstance | undefined> {
    const existing = this.live.get(instanceId);
    if (existing) return existing;
    const loaded = await this.store.load(instanceId);
    if (!loaded || isTerminal(loaded.meta.status)) return undefined;
    const inst = this.track(loaded.meta, loaded.history, loaded.inbox);
    if (inst.history.length === 0 && !inst.pending.some((e) => e.EventType === EventType.ExecutionStarted)) {
      inst.pending.unshift(historyEvent(EventType.ExecutionStarted, new Date(), { Name: loaded.meta.name, Input: loaded.meta.input }));
    }
    const done = new Set(inst.history.map(completedId).filter((id): id is number => id !== undefined));
    for (const event of inst.history) {
      if (!isSchedulingEvent(event) || done.has(event.EventId)) continue;
      if (event.EventType === EventType.TaskScheduled) this.dispatchActivity(inst, event);
      else if (event.EventType === EventType.TimerCreated) this.armTimer(inst, event);
      else if (event.EventType === EventType.SubOrchestrationInstanceCreated) await this.reconcileChild(inst, event);
    }
    this.schedule(inst);
    return inst;
  }

  private schedule(inst: LiveInstance): void {
    if (inst.running || this.stopped) return;
    inst.running = true;
    // setImmediate lets completions that land in the same turn share one episode.
    setImmediate(() => void this.drain(inst));
  }

  private async drain(inst: LiveInstance): Promise<void> {
    try {
      while (!this.stopped && inst.pending.length > 0 && this.live.get(inst.meta.instanceId) === inst && !isTerminal(inst.meta.status)) {
        await this.withLock(inst, () => (isTerminal(inst.meta.status) ? Promise.resolve() : this.runEpisode(inst)));
      }
    } catch (error) {
      this.logger.host(`orchestration ${inst.meta.instanceId}: episode failed to commit: ${(error as Error).message}`);
    } finally {
      inst.running = false;
    }
  }

  /** One orchestrator execution: replay history plus new events, then commit and act on the reply. */
  private async runEpisode(inst: LiveInstance): Promise<void> {
    const fn = this.catalog.orchestrator(inst.meta.name);
    const batch = this.takeBatch(inst);
    const now = new Date();
    const started = historyEvent(EventType.OrchestratorStarted, now);
    const newEvents = [started, ...batch];
    const payload = {
      history: [...inst.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents],
      input: inst.meta.input === undefined ? undefined : JSON.parse(inst.meta.input),
      instanceId: inst.meta.instanceId,
      isReplaying: inst.history.length > 0,
      parentInstanceId: inst.meta.parentInstanceId,
      upperSchemaVersion: 0,
    };
    let reply: OrchestratorReply | undefined;
    let failure: string | undefined;
    if (!fn) {
      failure = `The orchestrator function '${inst.meta.name}' is not registered.`;
    } else {
      const outcome = await this.runner.run(fn, { string: JSON.stringify(payload) }, {}, { instanceId: inst.meta.instanceId });
      if (outcome.ok) reply = fromTypedData(outcome.response.returnValue) as OrchestratorReply;
      else {
        const message = outcome.error.message;
        const at = message.indexOf(OUT_OF_PROC_LABEL);
        if (at >= 0) reply = JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorReply;
        // The state's `error` carries the orchestrator's exception; the message prefix is not reliable
        // (durable-functions 3.x passes a boolean there).
        failure = reply?.error ?? (at >= 0 ? message.slice(0, at) : message);
      }
    }
    const consumedKeys = batch.filter((e) => e.Key).map((e) => e.Key as string);
    for (const key of consumedKeys) inst.appliedKeys.add(key);
    const inboxConsumed = inst.pendingInboxKeys.filter((k) => inst.appliedKeys.has(k));
    inst.pendingInboxKeys = inst.pendingInboxKeys.filter((k) => !inst.appliedKeys.has(k));
    inst.history.push(...newEvents);
    if (failure !== undefined) {
      await this.finish(inst, 'Failed', failure, [historyEvent(EventType.ExecutionFailed, now, { Reason: failure })], inboxConsumed, reply?.customStatus);
      return;
    }
    const plan = this.plan(inst, reply as OrchestratorReply, batch, now);
    if ('nondeterminism' in plan) {
      await this.finish(inst, 'Failed', plan.nondeterminism, [historyEvent(EventType.ExecutionFailed, now, { Reason: plan.nondeterminism })], inboxConsumed);
      return;
    }
    const { scheduled, continueAsNew } = plan;
    inst.history.push(...scheduled);
    const r = reply as OrchestratorReply;
    if (continueAsNew) {
      await this.continueAsNew(inst, continueAsNew, inboxConsumed, r.customStatus);
      return;
    }
    if (r.isDone) {
      await this.finish(inst, 'Completed', r.output, [historyEvent(EventType.ExecutionCompleted, now, { Result: JSON.stringify(r.output ?? null) })], inboxConsumed, r.customStatus);
      return;
    }
    inst.history.push(historyEvent(EventType.OrchestratorCompleted, now));
    inst.meta = { ...inst.meta, status: 'Running', lastUpdatedTime: now.toISOString(), customStatus: r.customStatus, historyRows: inst.meta.historyRows + 1 };
    await this.store.commitEpisode(inst.meta, [...newEvents, ...scheduled, historyEvent(EventType.OrchestratorCompleted, now)], inboxConsumed);
    for (const event of scheduled) {
      if (event.EventType === EventType.TaskScheduled) this.dispatchActivity(inst, event);
      else if (event.EventType === EventType.TimerCreated) this.armTimer(inst, event);
      else if (event.EventType === EventType.SubOrchestrationInstanceCreated) await this.startChild(inst, event);
    }
  }

  /**
   * Takes the pending events for one episode. A retry-related completion ends the batch: the SDK
   * numbers the retry's follow-up task while replaying that event, after any tasks the earlier events
   * let the orchestrator schedule, so the host must allocate in that same order.
   */
  private takeBatch(inst: LiveInstance): HistoryEvent[] {
    const byId = this.schedulingById(inst);
    const fresh = inst.pending.filter((e) => !e.Key || !inst.appliedKeys.has(e.Key));
    const end = fresh.findIndex((e) => {
      const id = completedId(e);
      return id !== undefined && byId.get(id)?.Retry !== undefined && e.EventType !== EventType.TaskCompleted && e.EventType !== EventType.SubOrchestrationInstanceCompleted;
    });
    const batch = end >= 0 ? fresh.slice(0, end + 1) : fresh;
    inst.pending = fresh.slice(batch.length);
    return batch;
  }

  private schedulingById(inst: LiveInstance): Map<number, HistoryEvent> {
    const map = new Map<number, HistoryEvent>();
    for (const e of inst.history) if (isSchedulingEvent(e)) map.set(e.EventId, e);
    return map;
  }

  /** Matches the reply's actions against history and allocates events for the new ones. */
  private plan(inst: LiveInstance, reply: OrchestratorReply, batch: HistoryEvent[], now: Date): { scheduled: HistoryEvent[]; continueAsNew?: { input?: string } } | { nondeterminism: string } {
    const actions = flattenActions(reply.actions ?? []);
    const sequenced = actions.filter(consumesSequenceNumber);
    const scheduling = inst.history.filter(isSchedulingEvent);
    const original = scheduling.filter((e) => !e.Retry || (e.Retry.attempt === 1 && !e.Retry.isDelay));
    for (let k = 0; k < Math.min(original.length, sequenced.length); k++) {
      const mismatch = compareAction(sequenced[k], original[k]);
      if (mismatch) return { nondeterminism: `Non-deterministic workflow detected: ${mismatch}` };
    }
    if (sequenced.length < original.length && reply.isDone) {
      return { nondeterminism: `Non-deterministic workflow detected: the orchestrator completed without scheduling ${describeEvent(original[sequenced.length])} that its history contains.` };
    }
    let nextId = scheduling.reduce((max, e) => Math.max(max, e.EventId), -1) + 1;
    const scheduled: HistoryEvent[] = [];
    for (let k = original.length; k < sequenced.length; k++) {
      const event = this.schedulingEventFor(inst, sequenced[k], k, nextId++, now);
      if ('unsupported' in event) return { nondeterminism: event.unsupported };
      scheduled.push(event);
    }
    const last = batch[batch.length - 1];
    const retried = last ? this.retryFollowUp(inst, last, nextId, now) : undefined;
    if (retried) scheduled.push(retried);
    const can = actions.find((a) => a.actionType === ActionType.ContinueAsNew);
    return { scheduled, continueAsNew: can && reply.isDone ? { input: actionInputJson(can.input) } : undefined };
  }

  private schedulingEventFor(inst: LiveInstance, action: OrchestratorAction, index: number, id: number, now: Date): HistoryEvent | { unsupported: string } {
    const retry = (attempt: number): RetryMark | undefined =>
      action.retryOptions ? { actionIndex: index, attempt, options: action.retryOptions } : undefined;
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        return historyEvent(EventType.TaskScheduled, now, { EventId: id, Name: action.functionName, Input: actionInputJson(action.input), Retry: retry(1) });
      case ActionType.CreateTimer:
        return historyEvent(EventType.TimerCreated, now, { EventId: id, FireAt: new Date(action.fireAt as string).toISOString() });
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        return historyEvent(EventType.SubOrchestrationInstanceCreated, now, {
          EventId: id, Name: action.functionName, Input: action.input === undefined ? undefined : JSON.stringify(action.input),
          InstanceId: action.instanceId ?? `${inst.meta.instanceId}:${id}`, Retry: retry(1),
        });
      default:
        return { unsupported: `${describeAction(action)} is not supported by the local host (see docs/local-host.md).` };
    }
  }

  /** After a failed retryable task: a delay timer; after that timer: the next attempt (if any remain). */
  private retryFollowUp(inst: LiveInstance, event: HistoryEvent, id: number, now: Date): HistoryEvent | undefined {
    const source = this.schedulingById(inst).get(completedId(event) ?? -1);
    const mark = source?.Retry;
    if (!source || !mark) return undefined;
    if (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed) {
      const delay = mark.attempt < mark.options.maxNumberOfAttempts ? retryDelayMs(mark.options, mark.attempt) : 0;
      return historyEvent(EventType.TimerCreated, now, {
        EventId: id, FireAt: new Date(now.getTime() + delay).toISOString(), Retry: { ...mark, isDelay: true }, Input: JSON.stringify(source),
      });
    }
    if (event.EventType === EventType.TimerFired && mark.isDelay && mark.attempt < mark.options.maxNumberOfAttempts) {
      const original = JSON.parse(source.Input as string) as HistoryEvent;
      const next: RetryMark = { ...mark, isDelay: undefined, attempt: mark.attempt + 1 };
      const childId = original.EventType === EventType.SubOrchestrationInstanceCreated ? { InstanceId: `${inst.meta.instanceId}:${id}` } : {};
      return historyEvent(original.EventType, now, { EventId: id, Name: original.Name, Input: original.Input, Retry: next, ...childId });
    }
    return undefined;
  }

  private dispatchActivity(inst: LiveInstance, scheduled: HistoryEvent): void {
    const fn = this.catalog.activity(scheduled.Name as string);
    const generation = inst.meta.generation;
    void this.activityPool.run(async () => {
      if (this.stopped || isTerminal(inst.meta.status)) return;
      let completion: HistoryEvent;
      if (!fn) {
        completion = historyEvent(EventType.TaskFailed, new Date(), { TaskScheduledId: scheduled.EventId, ...failureFields(new Error(`The activity function '${scheduled.Name}' is not registered.`)) });
      } else {
        const data = scheduled.Input === undefined ? undefined : { json: scheduled.Input };
        const outcome = await this.runner.run(fn, data, {}, { instanceId: inst.meta.instanceId });
        completion = outcome.ok
          ? historyEvent(EventType.TaskCompleted, new Date(), { TaskScheduledId: scheduled.EventId, Result: JSON.stringify(fromTypedData(outcome.response.returnValue) ?? null) })
          : historyEvent(EventType.TaskFailed, new Date(), { TaskScheduledId: scheduled.EventId, ...failureFields(outcome.error) });
      }
      this.deliver(inst, completion, generation);
    }).catch((error: Error) => this.logger.host(`activity ${scheduled.Name} of ${inst.meta.instanceId}: ${error.message}`));
  }

  private armTimer(inst: LiveInstance, created: HistoryEvent): void {
    const fireAt = new Date(created.FireAt as string);
    const wait = fireAt.getTime() - Date.now();
    const generation = inst.meta.generation;
    const timer = setTimeout(() => {
      inst.timers.delete(created.EventId);
      if (wait > MAX_TIMEOUT_MS) return this.armTimer(inst, created);
      this.deliver(inst, historyEvent(EventType.TimerFired, new Date(), { TimerId: created.EventId, FireAt: created.FireAt }), generation);
    }, Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)));
    inst.timers.set(created.EventId, timer);
  }

  private async startChild(parent: LiveInstance, created: HistoryEvent): Promise<void> {
    try {
      await this.startNew(created.Name as string, created.InstanceId, created.Input, { id: parent.meta.instanceId, taskId: created.EventId });
    } catch (error) {
      this.deliver(parent, historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), { TaskScheduledId: created.EventId, ...failureFields(error as Error) }));
    }
  }

  /** After a restart: a child that already ended reports back now; a missing child is started. */
  private async reconcileChild(parent: LiveInstance, created: HistoryEvent): Promise<void> {
    const child = await this.meta(created.InstanceId as string);
    if (!child) return this.startChild(parent, created);
    if (isTerminal(child.status)) this.deliver(parent, childCompletion(created.EventId, child.status, child.output));
    else await this.resume(child.instanceId);
  }

  private deliver(inst: LiveInstance, event: HistoryEvent, generation = inst.meta.generation): void {
    if (this.stopped || isTerminal(inst.meta.status) || this.live.get(inst.meta.instanceId) !== inst) return;
    // A completion for work of an execution that continued-as-new belongs to no task any more.
    if (generation !== inst.meta.generation) return;
    inst.pending.push(event);
    this.schedule(inst);
  }

  private async continueAsNew(inst: LiveInstance, next: { input?: string }, inboxConsumed: string[], customStatus: unknown): Promise<void> {
    const now = new Date().toISOString();
    for (const t of inst.timers.values()) clearTimeout(t);
    inst.timers.clear();
    const carried = inst.pending.filter((e) => e.EventType === EventType.EventRaised);
    inst.meta = { ...inst.meta, status: 'Running', input: next.input, customStatus, lastUpdatedTime: now, generation: inst.meta.generation + 1, historyRows: 0 };
    inst.history = [];
    inst.pending = [historyEvent(EventType.ExecutionStarted, new Date(), { Name: inst.meta.name, Input: next.input }), ...carried];
    await this.store.commitEpisode(inst.meta, undefined, inboxConsumed);
    const previous = inst.meta.generation - 1;
    // The old execution's history is garbage once the new one is committed; losing this cleanup is harmless.
    this.store.deleteGeneration(inst.meta.instanceId, previous).catch((error: Error) => this.logger.host(`continue-as-new cleanup of ${inst.meta.instanceId}: ${error.message}`));
  }

  private async finish(inst: LiveInstance, status: RuntimeStatus, output: unknown, closing: HistoryEvent[], inboxConsumed: string[] = [], customStatus?: unknown): Promise<void> {
    const now = new Date();
    const tail = inst.history.length > 0 || closing.length > 0 ? [...inst.history.slice(this.uncommittedFrom(inst)), ...closing] : undefined;
    inst.history.push(...closing);
    for (const t of inst.timers.values()) clearTimeout(t);
    inst.timers.clear();
    inst.pending = [];
    inst.meta = {
      ...inst.meta, status, output, lastUpdatedTime: now.toISOString(),
      customStatus: customStatus ?? inst.meta.customStatus, historyRows: inst.meta.historyRows + 1,
    };
    await this.store.commitEpisode(inst.meta, tail, inboxConsumed);
    this.live.delete(inst.meta.instanceId);
    inst.settle();
    const { parentInstanceId, parentTaskId } = inst.meta;
    if (parentInstanceId && parentTaskId !== undefined) {
      const parent = await this.resume(parentInstanceId);
      if (parent) this.deliver(parent, childCompletion(parentTaskId, status, output));
    }
  }

  /** Index of the first history event not yet in a committed row (the current episode's events). */
  private uncommittedFrom(inst: LiveInstance): number {
    for (let i = inst.history.length - 1; i >= 0; i--) {
      if (inst.history[i].EventType === EventType.OrchestratorCompleted) return i + 1;
    }
    return 0;
  }
}

function childCompletion(taskId: number, status: RuntimeStatus, output: unknown): HistoryEvent {
  if (status === 'Completed') {
    return historyEvent(EventType.SubOrchestrationInstanceCompleted, new Date(), { TaskScheduledId: taskId, Result: JSON.stringify(output ?? null) });
  }
  const message = `Sub-orchestration ${status.toLowerCase()}: ${typeof output === 'string' ? output : JSON.stringify(output)}`;
  return historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), { TaskScheduledId: taskId, ...failureFields(new Error(message)) });
}

function compareAction(action: OrchestratorAction, event: HistoryEvent): string | undefined {
  const expected: Record<number, number> = {
    [ActionType.CallActivity]: EventType.TaskScheduled,
    [ActionType.CallActivityWithRetry]: EventType.TaskScheduled,
    [ActionType.CreateTimer]: EventType.TimerCreated,
    [ActionType.CallSubOrchestrator]: EventType.SubOrchestrationInstanceCreated,
    [ActionType.CallSubOrchestratorWithRetry]: EventType.SubOrchestrationInstanceCreated,
  };
  const sameKind = expected[action.actionType] === event.EventType;
  const sameName = action.actionType === ActionType.CreateTimer || action.functionName === event.Name;
  if (sameKind && sameName) return undefined;
  return `history has ${describeEvent(event)} (event ${event.EventId}) where the orchestrator now asks for ${describeAction(action)}.`;
}

function describeEvent(event: HistoryEvent): string {
  if (event.EventType === EventType.TimerCreated) return 'a timer';
  const kind = event.EventType === EventType.TaskScheduled ? 'activity' : 'sub-orchestration';
  return `${kind} '${event.Name}'`;
}

/** Instance ids become table partition keys, which cannot hold these characters. */
function validateInstanceId(id: string): void {
  if (!id || id.length > 256 || /[\\/#?\u0000-\u001f\u007f-\u009f]/.test(id)) {
    throw new DurableRequestError(400, `Invalid instance id '${id}': use 1-256 characters without / \\ # ? or control characters.`);
  }
}
