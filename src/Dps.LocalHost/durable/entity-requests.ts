import { createHash } from 'node:crypto';
import { EventType, historyEvent, HistoryEvent } from './history';
import type { OrchestratorAction } from './orchestration-actions';
import { ActionType } from './orchestration-actions';

/**
 * The request an orchestrator's `callEntity` / `signalEntity` sends, as the Durable extension records it
 * in the EventSent event's input: `id` is the request id the response (an EventRaised of that name) answers.
 */
export interface EntityRequest {
  id: string;
  op: string;
  signal: boolean;
  /** JSON text of the operation's input. */
  input?: string;
  /** The sending orchestration. */
  parent: string;
}

/** An entity's answer to a call, as the response message `durable-functions` reads from EventRaised. */
export interface EntityResponse {
  result?: string;
  exceptionType?: string;
}

/** True for the actions that send an entity request. */
export function isEntityAction(action: OrchestratorAction): boolean {
  return action.actionType === ActionType.CallEntity || action.actionType === ActionType.SignalEntity;
}

/**
 * The EventSent event for an entity action. The request id is derived from the execution (instance id,
 * creation time, generation) and the event id, so an episode that runs again after a crash sends the
 * same request, which the entity runs once.
 */
export function entityRequestEvent(instanceId: string, execution: string, action: OrchestratorAction, id: number, now: Date): HistoryEvent {
  const hash = createHash('sha256').update(`${execution}|${id}`).digest('hex');
  const request: EntityRequest = {
    id: `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`, op: action.operation as string, signal: action.actionType === ActionType.SignalEntity,
    input: action.input === undefined ? undefined : JSON.stringify(action.input), parent: instanceId,
  };
  return historyEvent(EventType.EventSent, now, { EventId: id, Name: request.op, InstanceId: action.instanceId, Input: JSON.stringify(request) });
}

/** The target entity (`@name@key`, as durable-functions writes scheduler ids) and request of an EventSent event. */
export function entityRequestOf(sent: HistoryEvent): { name: string; key: string; request: EntityRequest } {
  const target = sent.InstanceId ?? '';
  const at = target.indexOf('@', 1);
  return { name: target.slice(1, at), key: target.slice(at + 1), request: JSON.parse(sent.Input ?? '{}') as EntityRequest };
}

/** Entity requests of a history still owed something: every signal (the entity deduplicates), and calls without a response. */
export function unansweredEntityRequests(history: HistoryEvent[]): HistoryEvent[] {
  const raised = new Set(history.filter((e) => e.EventType === EventType.EventRaised).map((e) => e.Name));
  return history.filter((e) => {
    if (e.EventType !== EventType.EventSent) return false;
    const { request } = entityRequestOf(e);
    return request.signal || !raised.has(request.id);
  });
}

/** The event that answers a call: EventRaised named by the request id, keyed so a redelivery is applied once. */
export function entityResponseEvent(requestId: string, response: EntityResponse): HistoryEvent {
  return historyEvent(EventType.EventRaised, new Date(), { Name: requestId, Input: JSON.stringify(response), Key: `entity-${requestId}` });
}
