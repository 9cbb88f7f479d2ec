import type { RolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import type { RolloutInput } from '../rollout/rollout-run';
import type { LineageDescriber, LineageRunFacts } from './lineage-facts';

/** The two model versions a rollout serves side by side. */
function servedModels(input: RolloutInput): LineageRunFacts {
  return { inputs: [], outputs: [], inputModels: [{ model: input.model, version: input.champion }, { model: input.model, version: input.challenger }] };
}

/** A rollout run: champion and challenger artifacts in; promoted or rolled back (a decision the gates took) is COMPLETE, aborted by a person is ABORT. */
export const ROLLOUT_LINEAGE: LineageDescriber<RolloutInput, RolloutStatusBody> = {
  job: 'rollout',
  jobType: 'ROLLOUT',
  sourcePath: 'src/Dps.Functions/rollout/rollout.orchestration.ts',
  start: servedModels,
  end: (input, status) => ({ ...servedModels(input), end: { eventType: status.status === 'aborted' ? 'ABORT' : 'COMPLETE', status: status.status, reason: status.reason } }),
};
