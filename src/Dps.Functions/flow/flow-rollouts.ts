import * as df from 'durable-functions';
import type { FlowRollout } from '../../Dps.Domain/flow/flow-records';
import type { RolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import { ROLLOUT, RolloutInput, rolloutInstanceId } from '../rollout/rollout-run';
import { findInstance } from '../shared/durable-status';

/** What the flow reads of a rollout instance's Durable status. */
export type RolloutInstance = Pick<df.DurableOrchestrationStatus, 'name' | 'runtimeStatus' | 'createdTime' | 'lastUpdatedTime' | 'input' | 'output'>;

const iso = (time: Date | string): string => new Date(time).toISOString();

/**
 * A canary rollout as the flow metrics read it (docs/flow.md): started when its instance was created,
 * ended when its last state was written (promoted, rolled back, aborted; a failed or terminated instance
 * promoted nothing, so it counts as aborted), one `rollout` stage from start to end. Undefined for an
 * instance that is not a rollout orchestration.
 */
export function flowRolloutOf(instance: RolloutInstance): FlowRollout | undefined {
  const input = instance.input as Partial<RolloutInput> | null;
  if (instance.name !== ROLLOUT.name || typeof input?.model !== 'string' || typeof input.challenger !== 'number') return undefined;
  const base = { model: input.model, version: input.challenger, startedAt: iso(instance.createdTime), stages: [] };
  switch (instance.runtimeStatus) {
    case df.OrchestrationRuntimeStatus.Completed: {
      const output = instance.output as Partial<RolloutStatusBody> | null;
      const status = output?.status && output.status !== 'running' ? output.status : 'aborted';
      return { ...base, status, endedAt: output?.updatedAt ?? iso(instance.lastUpdatedTime) };
    }
    case df.OrchestrationRuntimeStatus.Failed:
    case df.OrchestrationRuntimeStatus.Terminated:
      return { ...base, status: 'aborted', endedAt: iso(instance.lastUpdatedTime) };
    default:
      return { ...base, status: 'running' };
  }
}

/** The latest rollout of each model (its instance `rollout-{model}`; an earlier rollout of the same model was replaced by it). */
export async function latestRollouts(client: df.DurableClient, models: readonly string[]): Promise<FlowRollout[]> {
  const found = await Promise.all([...new Set(models)].map((model) => findInstance(client, rolloutInstanceId(model))));
  return found.flatMap((instance) => {
    const rollout = instance ? flowRolloutOf(instance) : undefined;
    return rollout ? [rollout] : [];
  });
}
