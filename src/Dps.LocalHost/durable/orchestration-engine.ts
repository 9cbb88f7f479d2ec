import { randomUUID } from 'node:crypto';
import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { ActivityDispatcher } from './activity-dispatcher';
import { ConcurrencyPool } from './concurrency-pool';
import { armTimer, clearTimers } from './durable-timers';
import { DurableRequestError, validateInstanceId } from './durable-request-error';
import { takeBatch } from './episode-planner';
import { EpisodeOutcome, executeEpisode } from './episode-executor';
import { completedId, EventType, historyEvent, HistoryEvent, isSchedulingEvent } from './history';
import { InstanceMeta, InstanceStore, isTerminal, RuntimeStatus } from './instance-store';
import { LiveInstance, liveInstance, withInstanceLock } from './live-instance';
import { childCompletion, reconcileChild, startChild } from './sub-orchestrations';
import { EntityResponse, entityResponseEvent, unansweredEntityRequests } from './entity-requests';

/** Tries at committing one episode before the instance fails (storage errors that persist). */
const COMMIT_ATTEMPTS = 5;

/** Looks up registered functions by trigger kind. */
export interface FunctionCatalog {
  orchestrator(name: string): RegisteredFunction | undefined;
  activity(name: string): RegisteredFunction | undefined;
}

/** Where orchestrations' entity requests (EventSent) go: queued at the entity before this resolves. */
export interface EntityMailbox {
  send(sent: HistoryEvent): Promise<void>;
}

/** Options for the engine. */
export interface EngineOptions {
  maxConcurrentActivities: number;
  /** Episodes (orchestrator executions) running at once, across instances (host.json maxConcurrentOrchestratorFunctions). */
  maxConcurrentOrchestrators: number;
}

/**
 * The local stand-in for the Durable extension's orchestration runtime, as instance lifecycle: start,
 * events, terminate, recovery, and the loop that runs an instance's episodes (episode-executor.ts),
 * commits each before acting on it, then dispatches its activities, timers, sub-orchestrations and entity requests.
 */
export class OrchestrationEngine {
  private readonly live = new Map<string, LiveInstance>();
  private readonly activities: ActivityDispatcher;
  private readonly episodes: ConcurrencyPool;
  private stopped = false;

  constructor(
    private readonly store: InstanceStore,
    private readonly catalog: FunctionCatalog,
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
    options: EngineOptions,
    private readonly entities: EntityMailbox,
  ) {
    this.activities = new ActivityDispatcher(catalog.activity, runner, logger, options.maxConcurrentActivities);
    this.episodes = new ConcurrencyPool(options.maxConcurrentOrchestrators);
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
    const inst = this.track(liveInstance(meta, [], []));
    inst.pending.push(historyEvent(EventType.ExecutionStarted, new Date(), { Name: name, Input: inputJson }));
    this.schedule(inst);
    return id;
  }

  /** Resumes every instance that was Pending or Running when the host last stopped. */
  async recover(): Promise<number> {
    const metas = await this.store.listMetas(['Pending', 'Running', 'Suspended']);
    for (const meta of metas) await this.load(meta.instanceId);
    return metas.length;
  }

  /** Delivers an external event; 404 for an unknown instance, 410 for one that has ended. */
  async raiseEvent(instanceId: string, eventName: string, inputJson: string | undefined): Promise<void> {
    const inst = await this.liveOrThrow(instanceId);
    const key = `event-${randomUUID()}`;
    await this.enqueueEvent(inst, historyEvent(EventType.EventRaised, new Date(), { Name: eventName, Input: inputJson, Key: key }));
  }

  /** Delivers an entity's answer to a call (persisted before this resolves); a repeat, or one for an ended instance, is dropped. */
  async entityResponse(instanceId: string, requestId: string, response: EntityResponse): Promise<void> {
    const inst = this.live.get(instanceId) ?? (await this.load(instanceId));
    if (!inst) {
      this.logger.host(`orchestration ${instanceId}: the answer to entity request ${requestId} arrived after the instance ended; dropped`);
      return;
    }
    const event = entityResponseEvent(requestId, response);
    const key = event.Key as string;
    if (inst.appliedKeys.has(key) || inst.pendingInboxKeys.includes(key)) return;
    await this.enqueueEvent(inst, event);
  }

  private async enqueueEvent(inst: LiveInstance, event: HistoryEvent): Promise<void> {
    const key = event.Key as string;
    await this.store.addInbox(inst.meta.instanceId, { key, event });
    inst.pending.push(event);
    inst.pendingInboxKeys.push(key);
    this.schedule(inst);
  }

  /** Terminates a running instance; 404 unknown, 410 already ended. */
  async terminate(instanceId: string, reason: string): Promise<void> {
    const inst = await this.liveOrThrow(instanceId);
    await withInstanceLock(inst, async () => {
      if (isTerminal(inst.meta.status)) throw new DurableRequestError(410, `Instance '${instanceId}' has already ${inst.meta.status.toLowerCase()}.`);
      await this.finish(inst, 'Terminated', reason, [historyEvent(EventType.ExecutionTerminated, new Date(), { Input: JSON.stringify(reason) })]);
    });
  }

  /** Suspends a running instance: new events wait until it resumes (ExecutionSuspended in its history). */
  async suspend(instanceId: string, reason: string): Promise<void> {
    await this.setSuspended(instanceId, true, reason);
  }

  /** Resumes a suspended instance and runs what arrived meanwhile. */
  async resume(instanceId: string, reason: string): Promise<void> {
    await this.setSuspended(instanceId, false, reason);
  }

  private async setSuspended(instanceId: string, suspended: boolean, reason: string): Promise<void> {
    const inst = await this.liveOrThrow(instanceId);
    await withInstanceLock(inst, async () => {
      if (isTerminal(inst.meta.status)) throw new DurableRequestError(410, `Instance '${instanceId}' has already ${inst.meta.status.toLowerCase()}.`);
      if ((inst.meta.status === 'Suspended') === suspended) return;
      const event = historyEvent(suspended ? EventType.ExecutionSuspended : EventType.ExecutionResumed, new Date(), { Input: JSON.stringify(reason) });
      const meta: InstanceMeta = { ...inst.meta, status: suspended ? 'Suspended' : 'Running', lastUpdatedTime: event.Timestamp, historyRows: inst.meta.historyRows + 1 };
      await this.store.commitEpisode(meta, [event], []);
      inst.meta = meta;
      inst.history.push(event);
    });
    this.schedule(inst);
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

  /**
   * Stops timers and new work and waits for episodes in flight to commit; activities in flight finish
   * but their results are not applied (they run again after a restart, as in Azure).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const inst of this.live.values()) clearTimers(inst);
    await Promise.all([...this.live.values()].map((inst) => inst.lock));
  }

  /** Loads a non-terminal instance into memory and re-derives its in-flight work from history. */
  async load(instanceId: string): Promise<LiveInstance | undefined> {
    const existing = this.live.get(instanceId);
    if (existing) return existing;
    const loaded = await this.store.load(instanceId);
    if (!loaded || isTerminal(loaded.meta.status)) return undefined;
    const inst = this.track(liveInstance(loaded.meta, loaded.history, loaded.inbox));
    if (inst.history.length === 0 && !inst.pending.some((e) => e.EventType === EventType.ExecutionStarted)) {
      inst.pending.unshift(historyEvent(EventType.ExecutionStarted, new Date(), { Name: loaded.meta.name, Input: loaded.meta.input }));
    }
    const done = new Set(inst.history.map(completedId).filter((id): id is number => id !== undefined));
    const open = inst.history.filter((event) => isSchedulingEvent(event) && event.EventType !== EventType.EventSent && !done.has(event.EventId));
    await this.act(inst, [...open, ...unansweredEntityRequests(inst.history)], true);
    this.schedule(inst);
    return inst;
  }

  private track(inst: LiveInstance): LiveInstance {
    this.live.set(inst.meta.instanceId, inst);
    return inst;
  }

  private async liveOrThrow(instanceId: string): Promise<LiveInstance> {
    const inst = this.live.get(instanceId) ?? (await this.load(instanceId));
    if (!inst) {
      const meta = await this.store.getMeta(instanceId);
      if (!meta) throw new DurableRequestError(404, `No instance with ID '${instanceId}' found.`);
      throw new DurableRequestError(410, `Instance '${instanceId}' has already ${meta.status.toLowerCase()}.`);
    }
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
      const runnable = () => !isTerminal(inst.meta.status) && inst.meta.status !== 'Suspended';
      while (!this.stopped && inst.pending.length > 0 && this.live.get(inst.meta.instanceId) === inst && runnable()) {
        await withInstanceLock(inst, () => (runnable() ? this.runEpisode(inst) : Promise.resolve()));
        inst.commitFailures = 0;
      }
    } catch (error) {
      await this.commitFailed(inst, error as Error);
    } finally {
      inst.running = false;
    }
  }

  /** A failed commit changed nothing: retry the episode after a pause, and after the last try fail the instance. */
  private async commitFailed(inst: LiveInstance, error: Error): Promise<void> {
    const id = inst.meta.instanceId;
    const attempt = ++inst.commitFailures;
    if (attempt < COMMIT_ATTEMPTS) {
      const delay = 100 * 2 ** attempt;
      this.logger.host(`orchestration ${id}: episode could not be committed (attempt ${attempt} of ${COMMIT_ATTEMPTS}), retrying in ${delay} ms: ${error.message}`);
      setTimeout(() => this.schedule(inst), delay);
      return;
    }
    const reason = `An episode could not be committed after ${COMMIT_ATTEMPTS} attempts: ${error.message}`;
    this.logger.host(`orchestration ${id}: ${reason}; failing the instance`);
    await withInstanceLock(inst, () => this.finish(inst, 'Failed', reason, [historyEvent(EventType.ExecutionFailed, new Date(), { Reason: reason })]))
      .catch((final: Error) => this.logger.host(`orchestration ${id}: recording the failure failed too: ${final.message}`));
  }

  /** One episode: take the next batch, run the orchestrator, commit what it decided, then act on it. */
  private async runEpisode(inst: LiveInstance): Promise<void> {
    const { batch, rest } = takeBatch(inst.history, inst.pending, inst.appliedKeys);
    inst.pending = rest;
    const outcome = await this.episodes.run(() => executeEpisode(this.runner, this.catalog.orchestrator(inst.meta.name), inst, batch));
    try {
      await this.apply(inst, outcome);
    } catch (error) {
      // Nothing of the episode was applied: its events go back in front of what arrived meanwhile.
      inst.pending.unshift(...batch);
      throw error;
    }
  }

  private async apply(inst: LiveInstance, outcome: EpisodeOutcome): Promise<void> {
    const { newEvents, consumedKeys, now, customStatus, result } = outcome;
    const applied = new Set([...inst.appliedKeys, ...consumedKeys]);
    const inboxConsumed = inst.pendingInboxKeys.filter((k) => applied.has(k));
    const markConsumed = () => {
      inst.appliedKeys = applied;
      inst.pendingInboxKeys = inst.pendingInboxKeys.filter((k) => !applied.has(k));
    };
    if (result.kind === 'end') {
      // An ended instance is not recovered, so its last entity requests go out before the end is committed
      // (their ids are deterministic: an episode that runs again sends the same ones).
      await this.sendEntityRequests(result.closing);
      await this.finish(inst, result.status, result.output, [...newEvents, ...result.closing], inboxConsumed, customStatus, markConsumed);
      return;
    }
    if (result.kind === 'continueAsNew') {
      await this.sendEntityRequests(result.entityRequests);
      await this.continueAsNew(inst, result.input, inboxConsumed, customStatus, markConsumed);
      return;
    }
    const events = [...newEvents, ...result.scheduled, historyEvent(EventType.OrchestratorCompleted, now)];
    const meta: InstanceMeta = { ...inst.meta, status: 'Running', lastUpdatedTime: now.toISOString(), customStatus, historyRows: inst.meta.historyRows + 1 };
    await this.store.commitEpisode(meta, events, inboxConsumed);
    inst.meta = meta;
    inst.history.push(...events);
    markConsumed();
    await this.act(inst, result.scheduled, false);
  }

  /** Dispatches committed scheduling events: activities, timers, sub-orchestrations (reconciled after a restart). */
  private async act(inst: LiveInstance, scheduled: HistoryEvent[], recovering: boolean): Promise<void> {
    const generation = inst.meta.generation;
    const deliver = (event: HistoryEvent) => this.deliver(inst, event, generation);
    for (const event of scheduled) {
      if (event.EventType === EventType.TaskScheduled) {
        this.activities.dispatch(inst.meta.instanceId, event, () => !this.stopped && !isTerminal(inst.meta.status), deliver);
      } else if (event.EventType === EventType.TimerCreated) armTimer(inst, event, (fired, gen) => this.deliver(inst, fired, gen));
      else if (event.EventType === EventType.SubOrchestrationInstanceCreated) {
        await (recovering ? reconcileChild : startChild)(this, inst.meta.instanceId, event, deliver);
      }
    }
    // Sent again after a restart if need be: the entity runs each request once.
    await this.sendEntityRequests(scheduled).catch((error: Error) => this.logger.host(`orchestration ${inst.meta.instanceId}: an entity request was not sent (it is sent again when the host restarts): ${error.message}`));
  }

  /** Queues the EventSent events among `events` at their entities. */
  private async sendEntityRequests(events: HistoryEvent[]): Promise<void> {
    for (const event of events) if (event.EventType === EventType.EventSent) await this.entities.send(event);
  }

  private deliver(inst: LiveInstance, event: HistoryEvent, generation = inst.meta.generation): void {
    if (this.stopped || isTerminal(inst.meta.status) || this.live.get(inst.meta.instanceId) !== inst) return;
    // A completion for work of an execution that continued-as-new belongs to no task any more.
    if (generation !== inst.meta.generation) return;
    inst.pending.push(event);
    this.schedule(inst);
  }

  private async continueAsNew(inst: LiveInstance, input: string | undefined, inboxConsumed: string[], customStatus: unknown, markConsumed: () => void): Promise<void> {
    const now = new Date().toISOString();
    const meta: InstanceMeta = { ...inst.meta, status: 'Running', input, customStatus, lastUpdatedTime: now, generation: inst.meta.generation + 1, historyRows: 0 };
    await this.store.commitEpisode(meta, undefined, inboxConsumed);
    markConsumed();
    clearTimers(inst);
    const carried = inst.pending.filter((e) => e.EventType === EventType.EventRaised);
    inst.meta = meta;
    inst.history = [];
    inst.pending = [historyEvent(EventType.ExecutionStarted, new Date(), { Name: meta.name, Input: input }), ...carried];
    // The old execution's history is garbage once the new one is committed; losing this cleanup is harmless.
    this.store.deleteGeneration(meta.instanceId, meta.generation - 1).catch((error: Error) => this.logger.host(`continue-as-new cleanup of ${meta.instanceId}: ${error.message}`));
  }

  /** Ends an instance: commits its last events and final status, then tells a waiting parent. */
  private async finish(inst: LiveInstance, status: RuntimeStatus, output: unknown, events: HistoryEvent[], inboxConsumed: string[] = [], customStatus?: unknown, markConsumed?: () => void): Promise<void> {
    const meta: InstanceMeta = {
      ...inst.meta, status, output, lastUpdatedTime: new Date().toISOString(),
      customStatus: customStatus ?? inst.meta.customStatus, historyRows: inst.meta.historyRows + 1,
    };
    await this.store.commitEpisode(meta, events, inboxConsumed);
    markConsumed?.();
    inst.meta = meta;
    inst.history.push(...events);
    clearTimers(inst);
    inst.pending = [];
    this.live.delete(meta.instanceId);
    inst.settle();
    const { parentInstanceId, parentTaskId } = meta;
    if (parentInstanceId && parentTaskId !== undefined) {
      const parent = await this.load(parentInstanceId);
      if (parent) this.deliver(parent, childCompletion(parentTaskId, status, output));
    }
  }
}
