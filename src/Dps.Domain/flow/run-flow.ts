import { Result, ok, err } from '../result';
import { checkRunRecords } from './flow-input-check';
import type { FlowRollout, FlowRun } from './flow-records';
import type { FlowTimeline } from './flow-timeline';
import { runJourneys } from './run-journeys';

/** One run's timelines for a runs list or a run page: value-add and wait up to each milestone it reached. */
export interface RunFlow {
  id: string;
  dataset: string;
  status: FlowRun['status'];
  finished?: FlowTimeline;
  registered?: FlowTimeline;
  champion?: FlowTimeline;
}

/** The timelines of each run (rollouts supply the way to champion); bad records are errors naming them. */
export function runFlows(runs: readonly FlowRun[], rollouts: readonly FlowRollout[]): Result<RunFlow[], string[]> {
  const checked = checkRunRecords(runs, rollouts);
  if (!checked.ok) return err(checked.error);
  return ok(checked.value.runs.map((timed) => {
    const { finished, registered, champion } = runJourneys(timed, checked.value.rollouts);
    return { id: timed.run.id, dataset: timed.run.dataset, status: timed.run.status, finished, registered, champion };
  }));
}
