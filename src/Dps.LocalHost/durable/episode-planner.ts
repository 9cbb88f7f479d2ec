import { completedId, EventType, historyEvent, HistoryEvent, isSchedulingEvent, RetryMark } from './history';
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
import { entityRequestEvent, entityRequestOf } from './entity-requests';

/** What an episode's reply asks for beyond its history: new scheduling events, maybe a fresh execution. */
export type EpisodePlan = { scheduled: HistoryEvent[]; continueAsNew?: { input?: string } } | { nondeterminism: string };

/** What identifies one execution of an instance (it changes on restart and continue-as-new): seeds entity request ids. */
export function executionKey(meta: { instanceId: string; createdTime: string; generation: number }): string {
  return `${meta.instanceId}|${meta.createdTime}|${meta.generation}`;
}

/** Scheduling events (TaskScheduled, TimerCreated, ...) of a history by their EventId. */
export function schedulingById(history: HistoryEvent[]): Map<number, HistoryEvent> {
  const map = new Map<number, HistoryEvent>();
  for (const e of history) if (isSchedulingEvent(e)) map.set(e.EventId, e);
  return map;
}

/**
 * Splits pending events into this episode's batch and the rest. A retry-related completion ends the
 * batch: the SDK numbers the retry's follow-up task while replaying that event, after any tasks the
 * earlier events let the orchestrator schedule, so the host must allocate in that same order.
 */
export function takeBatch(history: HistoryEvent[], pending: HistoryEvent[], appliedKeys: Set<string>): { batch: HistoryEvent[]; rest: HistoryEvent[] } {
  const byId = schedulingById(history);
  const fresh = pending.filter((e) => !e.Key || !appliedKeys.has(e.Key));
  const end = fresh.findIndex((e) => {
    const id = completedId(e);
    return id !== undefined && byId.get(id)?.Retry !== undefined && e.EventType !== EventType.TaskCompleted && e.EventType !== EventType.SubOrchestrationInstanceCompleted;
  });
  const batch = end >= 0 ? fresh.slice(0, end + 1) : fresh;
  return { batch, rest: fresh.slice(batch.length) };
}

/**
 * Matches the reply's actions against the history (which already holds this episode's batch) and
 * allocates events for the new ones; a mismatch is a non-determinism failure.
 */
export function planEpisode(instanceId: string, execution: string, history: HistoryEvent[], reply: OrchestratorReply, batch: HistoryEvent[], now: Date): EpisodePlan {
  const actions = flattenActions(reply.actions ?? []);
  const sequenced = actions.filter(consumesSequenceNumber);
  const scheduling = history.filter(isSchedulingEvent);
  const original = scheduling.filter((e) => !e.Retry || (e.Retry.attempt === 1 && !e.Retry.isDelay));
  for (let k = 0; k < Math.min(original.length, sequenced.length); k++) {
    const mismatch = compareAction(sequenced[k], original[k]);
    if (mismatch) return { nondeterminism: `Non-deterministic workflow detected: ${mismatch}` };
  }
  if (sequenced.length < original.length) {
    // The reply lists every action since the start, so a replay that stops short of its history took
    // another path: it completed, or it now waits for something else (an external event, say).
    const missing = describeEvent(original[sequenced.length]);
    if (reply.isDone) return { nondeterminism: `Non-deterministic workflow detected: the orchestrator completed without scheduling ${missing} that its history contains.` };
    const waiting = actions.slice(actions.indexOf(sequenced[sequenced.length - 1]) + 1).find((a) => a.actionType === ActionType.WaitForExternalEvent);
    const now = waiting ? `waits for external event '${waiting.externalEventName}'` : 'waits for something else';
    return { nondeterminism: `Non-deterministic workflow detected: history has ${missing} (event ${original[sequenced.length].EventId}) where the orchestrator now ${now}.` };
  }
  let nextId = scheduling.reduce((max, e) => Math.max(max, e.EventId), -1) + 1;
  const scheduled: HistoryEvent[] = [];
  for (let k = original.length; k < sequenced.length; k++) {
    const event = schedulingEventFor(instanceId, execution, sequenced[k], k, nextId++, now);
    if ('unsupported' in event) return { nondeterminism: event.unsupported };
    scheduled.push(event);
  }
  const last = batch[batch.length - 1];
  const retried = last ? retryFollowUp(instanceId, history, last, nextId, now) : undefined;
  if (retried) scheduled.push(retried);
  const can = actions.find((a) => a.actionType === ActionType.ContinueAsNew);
  return { scheduled, continueAsNew: can && reply.isDone ? { input: actionInputJson(can.input) } : undefined };
}

function schedulingEventFor(instanceId: string, execution: string, action: OrchestratorAction, index: number, id: number, now: Date): HistoryEvent | { unsupported: string } {
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
        InstanceId: action.instanceId ?? `${instanceId}:${id}`, Retry: retry(1),
      });
    case ActionType.CallEntity:
    case ActionType.SignalEntity:
      return entityRequestEvent(instanceId, execution, action, id, now);
    default:
      return { unsupported: `${describeAction(action)} is not supported by the local host (see docs/local-host.md).` };
  }
}

/** After a failed retryable task: a delay timer; after that timer: the next attempt (if any remain). */
function retryFollowUp(instanceId: string, history: HistoryEvent[], event: HistoryEvent, id: number, now: Date): HistoryEvent | undefined {
  const source = schedulingById(history).get(completedId(event) ?? -1);
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
    const childId = original.EventType === EventType.SubOrchestrationInstanceCreated ? { InstanceId: `${instanceId}:${id}` } : {};
    return historyEvent(original.EventType, now, { EventId: id, Name: original.Name, Input: original.Input, Retry: next, ...childId });
  }
  return undefined;
}

function compareAction(action: OrchestratorAction, event: HistoryEvent): string | undefined {
  const expected: Record<number, number> = {
    [ActionType.CallActivity]: EventType.TaskScheduled,
    [ActionType.CallActivityWithRetry]: EventType.TaskScheduled,
    [ActionType.CreateTimer]: EventType.TimerCreated,
    [ActionType.CallSubOrchestrator]: EventType.SubOrchestrationInstanceCreated,
    [ActionType.CallSubOrchestratorWithRetry]: EventType.SubOrchestrationInstanceCreated,
    [ActionType.CallEntity]: EventType.EventSent,
    [ActionType.SignalEntity]: EventType.EventSent,
  };
  const sameKind = expected[action.actionType] === event.EventType;
  const sameName = event.EventType === EventType.EventSent
    ? action.operation === event.Name && action.instanceId === event.InstanceId && (action.actionType === ActionType.SignalEntity) === entityRequestOf(event).request.signal
    : action.actionType === ActionType.CreateTimer || action.functionName === event.Name;
  if (sameKind && sameName) return undefined;
  return `history has ${describeEvent(event)} (event ${event.EventId}) where the orchestrator now asks for ${describeAction(action)}.`;
}

function describeEvent(event: HistoryEvent): string {
  if (event.EventType === EventType.TimerCreated) return 'a timer';
  if (event.EventType === EventType.EventSent) return `entity ${entityRequestOf(event).request.signal ? 'signal' : 'call'} '${event.Name}' to ${event.InstanceId}`;
  const kind = event.EventType === EventType.TaskScheduled ? 'activity' : 'sub-orchestration';
  return `${kind} '${event.Name}'`;
}
