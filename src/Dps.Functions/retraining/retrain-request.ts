import type * as df from 'durable-functions';
import type { RetrainTrigger } from '../../Dps.Domain/retraining/retrain-trigger';
import { findInstance } from '../shared/durable-status';
import { orchestration, startOrchestration } from '../shared/durable-calls';
import type { RetrainResult } from './retrain-run';

/** What starts a retrain: the model and the trigger with its evidence; `by` is who or what asked. */
export interface RetrainInput {
  model: string;
  trigger: RetrainTrigger;
}

/** The retraining orchestration, one instance per model: `retrain-{model}`. */
export const RETRAIN = orchestration<RetrainInput, RetrainResult>('retrain');

/** The deterministic instance id of a model's retrain. */
export function retrainInstanceId(model: string): string {
  return `retrain-${model}`;
}

const ACTIVE = new Set(['Running', 'Pending', 'Suspended', 'ContinuedAsNew']);

/** Whether an instance with this id is running (or about to). */
export async function isActive(client: df.DurableClient, instanceId: string): Promise<boolean> {
  const status = await findInstance(client, instanceId);
  return status !== undefined && ACTIVE.has(String(status.runtimeStatus));
}

/**
 * Starts `retrain-{model}` with this trigger unless one is running: the orchestration then decides
 * (cool-down, minimum rows, rollouts) and audits every decision. Answers whether it started.
 */
export async function requestRetrain(client: df.DurableClient, input: RetrainInput): Promise<{ started: boolean; instanceId: string }> {
  const instanceId = retrainInstanceId(input.model);
  if (await isActive(client, instanceId)) return { started: false, instanceId };
  await startOrchestration(client, RETRAIN, instanceId, input);
  return { started: true, instanceId };
}
