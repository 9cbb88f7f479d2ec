import type { RetryPolicyOptions } from './history';

/** Action types as `durable-functions` numbers them. */
export const ActionType = {
  CallActivity: 0,
  CallActivityWithRetry: 1,
  CallSubOrchestrator: 2,
  CallSubOrchestratorWithRetry: 3,
  ContinueAsNew: 4,
  CreateTimer: 5,
  WaitForExternalEvent: 6,
  CallEntity: 7,
  CallHttp: 8,
  SignalEntity: 9,
  WhenAny: 11,
  WhenAll: 12,
} as const;

/** An action as it arrives in the orchestrator's JSON response. */
export interface OrchestratorAction {
  actionType: number;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryPolicyOptions;
  fireAt?: string;
  isCanceled?: boolean;
  instanceId?: string;
  externalEventName?: string;
  reason?: string;
  compoundActions?: OrchestratorAction[];
  entity?: { name: string; key: string };
  operation?: string;
}

/** The orchestrator's reply for one episode (`OrchestratorState`). */
export interface OrchestratorReply {
  isDone: boolean;
  actions: OrchestratorAction[][] | OrchestratorAction[];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/** Flattens the reply's action groups and WhenAll/WhenAny compounds into scheduling order. */
export function flattenActions(actions: OrchestratorReply['actions']): OrchestratorAction[] {
  const out: OrchestratorAction[] = [];
  const visit = (item: OrchestratorAction | OrchestratorAction[]) => {
    if (Array.isArray(item)) item.forEach(visit);
    else if (item.actionType === ActionType.WhenAll || item.actionType === ActionType.WhenAny) {
      (item.compoundActions ?? []).forEach(visit);
    } else out.push(item);
  };
  visit(actions as OrchestratorAction[]);
  return out;
}

/** True for actions that take an orchestration sequence number when first scheduled. */
export function consumesSequenceNumber(action: OrchestratorAction): boolean {
  return action.actionType !== ActionType.WaitForExternalEvent && action.actionType !== ActionType.ContinueAsNew;
}

/** The JSON text an action's input travels as (`durable-functions` pre-serialises strings). */
export function actionInputJson(input: unknown): string | undefined {
  if (input === undefined) return undefined;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

/** A short label used in non-determinism messages. */
export function describeAction(action: OrchestratorAction): string {
  const kind = Object.entries(ActionType).find(([, v]) => v === action.actionType)?.[0] ?? `action ${action.actionType}`;
  if (action.operation) return `${kind} '${action.operation}' to ${action.instanceId}`;
  return action.functionName ? `${kind} '${action.functionName}'` : kind;
}
