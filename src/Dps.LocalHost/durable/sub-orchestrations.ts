import { EventType, failureFields, historyEvent, HistoryEvent } from './history';
import type { InstanceMeta, RuntimeStatus } from './instance-store';
import { isTerminal } from './instance-store';

/** What sub-orchestration handling needs from the engine. */
export interface ChildInstances {
  startNew(name: string, instanceId: string | undefined, inputJson: string | undefined, parent?: { id: string; taskId: number }): Promise<string>;
  meta(instanceId: string): Promise<InstanceMeta | undefined>;
  /** Loads a non-terminal instance and drives it again. */
  load(instanceId: string): Promise<unknown>;
}

/** Starts the child a SubOrchestrationInstanceCreated event asks for; a refused start fails that task. */
export async function startChild(engine: ChildInstances, parentId: string, created: HistoryEvent, deliver: (event: HistoryEvent) => void): Promise<void> {
  try {
    await engine.startNew(created.Name as string, created.InstanceId, created.Input, { id: parentId, taskId: created.EventId });
  } catch (error) {
    deliver(historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), { TaskScheduledId: created.EventId, ...failureFields(error as Error) }));
  }
}

/** After a restart: a child that already ended reports back now; a missing child is started; a running one resumes. */
export async function reconcileChild(engine: ChildInstances, parentId: string, created: HistoryEvent, deliver: (event: HistoryEvent) => void): Promise<void> {
  const child = await engine.meta(created.InstanceId as string);
  if (!child) return startChild(engine, parentId, created, deliver);
  if (isTerminal(child.status)) deliver(childCompletion(created.EventId, child.status, child.output));
  else await engine.load(child.instanceId);
}

/** The event a parent receives when its child ends. */
export function childCompletion(taskId: number, status: RuntimeStatus, output: unknown): HistoryEvent {
  if (status === 'Completed') {
    return historyEvent(EventType.SubOrchestrationInstanceCompleted, new Date(), { TaskScheduledId: taskId, Result: JSON.stringify(output ?? null) });
  }
  const message = `Sub-orchestration ${status.toLowerCase()}: ${typeof output === 'string' ? output : JSON.stringify(output)}`;
  return historyEvent(EventType.SubOrchestrationInstanceFailed, new Date(), { TaskScheduledId: taskId, ...failureFields(new Error(message)) });
}
