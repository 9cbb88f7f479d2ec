import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import { fromTypedData } from '../worker/rpc-data';
import { executionKey, planEpisode } from './episode-planner';
import { EventType, historyEvent, HistoryEvent } from './history';
import type { LiveInstance } from './live-instance';
import type { OrchestratorReply } from './orchestration-actions';

const OUT_OF_PROC_LABEL = '\n\n$OutOfProcData$:';

/** What one episode decided; nothing of it is applied to the instance until it is committed. */
export interface EpisodeOutcome {
  /** OrchestratorStarted plus the batch of events the orchestrator was shown. */
  newEvents: HistoryEvent[];
  /** Inbox keys of the events the batch consumed. */
  consumedKeys: string[];
  now: Date;
  customStatus?: unknown;
  result:
    | { kind: 'continue'; scheduled: HistoryEvent[] }
    | { kind: 'continueAsNew'; input?: string; entityRequests: HistoryEvent[] }
    | { kind: 'end'; status: 'Completed' | 'Failed'; output: unknown; closing: HistoryEvent[] };
}

/**
 * Runs one orchestrator execution: replays the committed history plus a batch of new events
 * through the orchestrator function (`durable-functions` does the replay) and plans what its reply asks.
 */
export async function executeEpisode(runner: FunctionRunner, fn: RegisteredFunction | undefined, inst: LiveInstance, batch: HistoryEvent[]): Promise<EpisodeOutcome> {
  const now = new Date();
  const newEvents = [historyEvent(EventType.OrchestratorStarted, now), ...batch];
  const consumedKeys = batch.filter((e) => e.Key).map((e) => e.Key as string);
  const base = { newEvents, consumedKeys, now };
  const { reply, failure } = await invokeOrchestrator(runner, fn, inst, newEvents);
  const fail = (reason: string, customStatus?: unknown): EpisodeOutcome => ({
    ...base, customStatus, result: { kind: 'end', status: 'Failed', output: reason, closing: [historyEvent(EventType.ExecutionFailed, now, { Reason: reason })] },
  });
  if (failure !== undefined) return fail(failure, reply?.customStatus);
  const r = reply as OrchestratorReply;
  const plan = planEpisode(inst.meta.instanceId, executionKey(inst.meta), [...inst.history, ...newEvents], r, batch, now);
  if ('nondeterminism' in plan) return fail(plan.nondeterminism);
  const { scheduled, continueAsNew } = plan;
  if (continueAsNew) {
    const entityRequests = scheduled.filter((e) => e.EventType === EventType.EventSent);
    return { ...base, customStatus: r.customStatus, result: { kind: 'continueAsNew', input: continueAsNew.input, entityRequests } };
  }
  if (r.isDone) {
    const closing = [...scheduled, historyEvent(EventType.ExecutionCompleted, now, { Result: JSON.stringify(r.output ?? null) })];
    return { ...base, customStatus: r.customStatus, result: { kind: 'end', status: 'Completed', output: r.output, closing } };
  }
  return { ...base, customStatus: r.customStatus, result: { kind: 'continue', scheduled } };
}

async function invokeOrchestrator(runner: FunctionRunner, fn: RegisteredFunction | undefined, inst: LiveInstance, newEvents: HistoryEvent[]): Promise<{ reply?: OrchestratorReply; failure?: string }> {
  if (!fn) return { failure: `The orchestrator function '${inst.meta.name}' is not registered.` };
  const payload = {
    history: [...inst.history.map((e) => ({ ...e, IsPlayed: true })), ...newEvents],
    input: inst.meta.input === undefined ? undefined : JSON.parse(inst.meta.input),
    instanceId: inst.meta.instanceId,
    isReplaying: inst.history.length > 0,
    parentInstanceId: inst.meta.parentInstanceId,
    upperSchemaVersion: 0,
  };
  const outcome = await runner.run(fn, { string: JSON.stringify(payload) }, {}, { instanceId: inst.meta.instanceId });
  if (outcome.ok) return { reply: fromTypedData(outcome.response.returnValue) as OrchestratorReply };
  const message = outcome.error.message;
  const at = message.indexOf(OUT_OF_PROC_LABEL);
  const reply = at >= 0 ? (JSON.parse(message.slice(at + OUT_OF_PROC_LABEL.length)) as OrchestratorReply) : undefined;
  // The state's `error` carries the orchestrator's exception; the message prefix is not reliable
  // (durable-functions 3.x passes a boolean there).
  return { reply, failure: reply?.error ?? (at >= 0 ? message.slice(0, at) : message) };
}
