import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import type { RolloutPlan } from '../../Dps.Domain/rollout/rollout-plan';
import type { RolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import { orchestration } from '../shared/durable-calls';

/** What starts a rollout orchestration (instance `rollout-{model}`). */
export interface RolloutInput {
  model: string;
  task: Task;
  champion: number;
  challenger: number;
  plan: RolloutPlan;
  requestedBy: string;
  /** How often a waiting step re-reads its counters (a setting, passed in: orchestrators read no environment). */
  pollSeconds: number;
}

/** A canary or shadow rollout of one challenger, instance `rollout-{model}`. */
export const ROLLOUT = orchestration<RolloutInput, RolloutStatusBody>('rollout');

/** The instance id of a model's rollout: one at a time per model. */
export function rolloutInstanceId(model: string): string {
  return `rollout-${model}`;
}

/** The counters window of a step: each rollout run and step counts afresh. */
export function counterWindow(run: string, stepIndex: number): string {
  return `${run}/${stepIndex}`;
}

/** The external events a running rollout waits for. */
export const APPROVE_EVENT = 'approve';
export const ABORT_EVENT = 'abort';

/** What approve and abort carry. */
export interface RolloutCommand {
  who: string;
  reason?: string;
}
