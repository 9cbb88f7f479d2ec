import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { activity } from '../shared/durable-calls';
import { startModelRollout } from './rollout-start';

/** What training reports about the rollout of a new challenger. */
export interface AutoRollout {
  started: boolean;
  reason: string;
}

export const START_ROLLOUT = activity<{ model: string; version: number; requestedBy: string }, AutoRollout>('rolloutStartForChallenger');

/** Registers the activity training calls after registering a challenger: starts its canary when DPS_ROLLOUT_AUTO is on. */
export function registerStartRollout(deps: AppDependencies): void {
  df.app.activity(START_ROLLOUT.name, {
    extraInputs: [df.input.durableClient()],
    handler: async (input: unknown, context): Promise<AutoRollout> => {
      const { model, version, requestedBy } = input as { model: string; version: number; requestedBy: string };
      if (!deps.settings.rollout.auto) return { started: false, reason: 'DPS_ROLLOUT_AUTO is off: start it with POST /api/models/{model}/rollout' };
      const started = await startModelRollout(deps, df.getClient(context), model, { version }, requestedBy);
      return started.status === 202 ? { started: true, reason: `rollout-${model} started for v${version}` } : { started: false, reason: String(started.body.error) };
    },
  });
}
