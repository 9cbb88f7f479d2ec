import * as df from 'durable-functions';
import { emptyCounters, VersionCounters } from '../../Dps.Domain/rollout/rollout-counters';
import { activity } from '../shared/durable-calls';
import { countersEntity, CountersState } from './rollout-counters.entity';

/** Which counters to read: the model's window and the versions of an A/B test's arms. */
export interface ArmCountersQuery {
  model: string;
  window: string;
  versions: number[];
  predictionEdges: number[];
}

export const READ_ARM_COUNTERS = activity<ArmCountersQuery, VersionCounters[]>('rolloutReadArmCounters');

/** Registers the activity that reads each arm's counters in a window (empty for an arm nothing was counted for yet). */
export function registerReadArmCounters(): void {
  df.app.activity(READ_ARM_COUNTERS.name, {
    extraInputs: [df.input.durableClient()],
    handler: async (input: unknown, context): Promise<VersionCounters[]> => {
      const query = input as ArmCountersQuery;
      const response = await df.getClient(context).readEntityState<CountersState>(countersEntity(query.model));
      const window = response.entityExists ? response.entityState?.windows[query.window] : undefined;
      return query.versions.map((v) => window?.[String(v)] ?? emptyCounters(query.predictionEdges));
    },
  });
}
