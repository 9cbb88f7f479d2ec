import type { AbTestInput } from '../rollout/ab-test-run';
import type { LineageDescriber, LineageRunFacts } from './lineage-facts';

/** The model versions an A/B test serves as its arms. */
function armModels(input: AbTestInput): LineageRunFacts {
  return { inputs: [], outputs: [], inputModels: input.plan.arms.map((arm) => ({ model: input.model, version: arm.version })) };
}

/** An A/B test run (the rollout's `ab` mode): its arms' artifacts in; a verdict is COMPLETE, aborted by a person is ABORT. */
export const AB_TEST_LINEAGE: LineageDescriber<AbTestInput, Record<string, unknown>> = {
  job: 'ab-test',
  jobType: 'AB_TEST',
  sourcePath: 'src/Dps.Functions/rollout/ab-test.orchestration.ts',
  start: armModels,
  end: (input, status) => ({
    ...armModels(input),
    end: { eventType: status.status === 'aborted' ? 'ABORT' : 'COMPLETE', status: String(status.status), reason: typeof status.reason === 'string' ? status.reason : undefined },
  }),
};
