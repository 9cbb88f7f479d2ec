import { DurationSummary, summarizeDurations } from './duration-summary';
import type { TimedRun } from './flow-input-check';
import type { FlowTimeline } from './flow-timeline';

/** One stage of the value-stream map: how long it works, how long work waits for it, what is in it now. */
export interface StageFlow {
  stage: string;
  processing: DurationSummary;
  /** Waits before the stage (the queue in front of it), one per run that waited. */
  waitBefore: DurationSummary;
  /** Runs inside the stage at the instant measured. */
  workInProgress: number;
}

/** Per-stage processing and wait across timelines, in the order stages first appear; milestones come last. */
export function stageFlows(timelines: readonly FlowTimeline[], inProgress: readonly TimedRun[], atMs: number): StageFlow[] {
  const processing = new Map<string, number[]>();
  const waits = new Map<string, number[]>();
  const add = (into: Map<string, number[]>, name: string, ms: number) => {
    if (!processing.has(name)) processing.set(name, []);
    if (!waits.has(name)) waits.set(name, []);
    into.get(name)?.push(ms);
  };
  for (const t of timelines) {
    for (const p of t.processing) add(processing, p.stage, p.ms);
    for (const w of t.waits) add(waits, w.before, w.ms);
  }
  const milestones = new Set(timelines.map((t) => t.milestone));
  const names = [...processing.keys()].sort((a, b) => Number(milestones.has(a)) - Number(milestones.has(b)));
  return names.map((stage) => ({
    stage,
    processing: summarizeDurations(processing.get(stage) ?? []),
    waitBefore: summarizeDurations(waits.get(stage) ?? []),
    workInProgress: inProgress.filter((r) => r.stages.some((s) => s.name === stage && s.startMs <= atMs && (s.endMs === undefined || s.endMs > atMs))).length,
  }));
}
