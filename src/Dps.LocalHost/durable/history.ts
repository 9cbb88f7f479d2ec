/** History event types, numbered as the Durable Task Framework numbers them on the wire. */
export const EventType = {
  ExecutionStarted: 0,
  ExecutionCompleted: 1,
  ExecutionFailed: 2,
  ExecutionTerminated: 3,
  TaskScheduled: 4,
  TaskCompleted: 5,
  TaskFailed: 6,
  SubOrchestrationInstanceCreated: 7,
  SubOrchestrationInstanceCompleted: 8,
  SubOrchestrationInstanceFailed: 9,
  TimerCreated: 10,
  TimerFired: 11,
  OrchestratorStarted: 12,
  OrchestratorCompleted: 13,
  EventSent: 14,
  EventRaised: 15,
  ContinueAsNew: 16,
  ExecutionSuspended: 19,
  ExecutionResumed: 20,
} as const;

/** Names for status API output (`showHistory=true`). */
export const EventTypeName: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([name, value]) => [value, name]),
);

/** Retry bookkeeping the host keeps on events it schedules for `callActivityWithRetry`. */
export interface RetryMark {
  /** Index of the originating action among the orchestration's scheduling actions. */
  actionIndex: number;
  attempt: number;
  options: RetryPolicyOptions;
  /** True on the host-generated timer between attempts. */
  isDelay?: boolean;
}

/** Retry options as `durable-functions` serialises `RetryOptions`. */
export interface RetryPolicyOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

/** A history event in the shape `durable-functions` replays (PascalCase, as the extension sends it). */
export interface HistoryEvent {
  EventType: number;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  Name?: string;
  Input?: string;
  Result?: string;
  Reason?: string;
  Details?: string;
  FailureDetails?: FailureDetails;
  TaskScheduledId?: number;
  TimerId?: number;
  FireAt?: string;
  InstanceId?: string;
  OrchestrationStatus?: string;
  /** Host bookkeeping, ignored by the replay: which action produced a scheduling event. */
  Retry?: RetryMark;
  /** Host bookkeeping: unique key of an inbound event, so a redelivery is applied once. */
  Key?: string;
}

/** Failure details as the extension puts them on TaskFailed events. */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
}

/** Builds an event with the common fields filled in. */
export function historyEvent(type: number, at: Date, fields: Partial<HistoryEvent> = {}): HistoryEvent {
  return { EventType: type, EventId: -1, IsPlayed: false, Timestamp: at.toISOString(), ...fields };
}

/** Converts a thrown error into the TaskFailed / SubOrchestrationInstanceFailed fields. */
export function failureFields(error: { name?: string; message: string; stack?: string }): Partial<HistoryEvent> {
  return {
    Reason: error.message,
    Details: error.stack ?? error.message,
    FailureDetails: { ErrorType: error.name ?? 'Error', ErrorMessage: error.message, StackTrace: error.stack },
  };
}

/** True for events that consume an orchestration sequence number (their EventId). */
export function isSchedulingEvent(event: HistoryEvent): boolean {
  return (
    event.EventType === EventType.TaskScheduled ||
    event.EventType === EventType.TimerCreated ||
    event.EventType === EventType.SubOrchestrationInstanceCreated ||
    event.EventType === EventType.EventSent
  );
}

/** The id a completion event refers to, or undefined for events that complete nothing. */
export function completedId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId;
    case EventType.TimerFired:
      return event.TimerId;
    default:
      return undefined;
  }
}
