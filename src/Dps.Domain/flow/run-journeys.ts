import type { TimedRollout, TimedRun, TimedStage } from './flow-input-check';
import { FlowTimeline, flowTimeline } from './flow-timeline';

/** One run's timelines from landing to each milestone it reached. */
export interface RunJourneys {
  run: TimedRun;
  /** Landing -> the run's last stage ended (any outcome). */
  finished?: FlowTimeline;
  /** Landing -> its model version was registered. */
  registered?: FlowTimeline;
  /** Landing -> its model version became champion (at registration, or by a promoted rollout). */
  champion?: FlowTimeline;
}

/** A rollout's traffic steps, or the whole rollout as one `rollout` stage when it recorded none. */
function rolloutStages(rollout: TimedRollout): TimedStage[] {
  if (rollout.stages.length > 0) return rollout.stages;
  return [{ name: 'rollout', status: 'succeeded', startMs: rollout.startMs, endMs: rollout.endMs }];
}

/** The timelines of a run; a rollout counts when it promoted the version the run registered. */
export function runJourneys(run: TimedRun, rollouts: readonly TimedRollout[]): RunJourneys {
  const { landedMs, stages, finishedMs, registeredMs } = run;
  const model = run.run.model;
  const out: RunJourneys = { run };
  if (finishedMs !== undefined) out.finished = flowTimeline(stages, landedMs, finishedMs, 'finished');
  if (!model || registeredMs === undefined) return out;
  out.registered = flowTimeline(stages, landedMs, registeredMs, 'registered');
  if (model.alias === 'champion') {
    out.champion = flowTimeline(stages, landedMs, registeredMs, 'champion');
    return out;
  }
  const promoted = rollouts.find((r) => r.rollout.model === model.name && r.rollout.version === model.version && r.rollout.status === 'promoted');
  if (promoted?.endMs !== undefined) out.champion = flowTimeline([...stages, ...rolloutStages(promoted)], landedMs, promoted.endMs, 'champion');
  return out;
}

/** The longest known timeline of a run: to champion when it got there, else to its end. */
export function longestJourney(journeys: RunJourneys): FlowTimeline | undefined {
  return journeys.champion ?? journeys.finished;
}
