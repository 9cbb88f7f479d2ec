import * as df from 'durable-functions';
import { emptyCounters, VersionCounters } from '../../Dps.Domain/rollout/rollout-counters';
import { activity } from '../shared/durable-calls';
import { countersEntity, CountersState } from './rollout-counters.entity';

/** Which counters to read: the model's window and its two versions. */
export interface CountersQuery {
  model: string;
  window: string;
  champion: number;
  challenger: number;
  predictionEdges: number[];
}

/** The two versions' counters in the window (empty when nothing was counted yet). */
export interface WindowCounters {
  champion: VersionCounters;
  challenger: VersionCounters;
}

export const READ_COUNTERS = activity<CountersQuery, WindowCounters>('rolloutReadCounters');

/** Registers the activity that reads a step window's counters from the counters entity (the client's readEntityState). */
export function registerReadCounters(): void {
  df.app.activity(READ_COUNTERS.name, {
    extraInputs: [df.input.durableClient()],
    handler: async (input: unknown, context): Promise<WindowCounters> => {
      const query = input as CountersQuery;
      const response = await df.getClient(context).readEntityState<CountersState>(countersEntity(query.model));
      const window = response.entityExists ? response.entityState?.windows[query.window] : undefined;
      const of = (version: number): VersionCounters => window?.[String(version)] ?? emptyCounters(query.predictionEdges);
      return { champion: of(query.champion), challenger: of(query.challenger) };
    },
  });
}
