import type { TimedStage } from './flow-input-check';

/** One piece of work from its start to a milestone, split into value-add (some stage worked) and wait. */
export interface FlowTimeline {
  startMs: number;
  endMs: number;
  /** The milestone the timeline ends at: `finished`, `registered` or `champion`. */
  milestone: string;
  leadMs: number;
  /** Time covered by at least one stage (overlapping stages count once). */
  valueAddMs: number;
  /** Time no stage covered: before each stage and before the milestone. */
  waitMs: number;
  /** Each stage's own time inside the timeline, in start order (skipped stages left out). */
  processing: { stage: string; ms: number }[];
  /** Each gap, named by what it waited for: the next stage or the milestone. */
  waits: { before: string; ms: number }[];
}

type Span = { name: string; start: number; end: number };

/** Stages that did work, cut to [startMs, endMs]; a running stage counts up to endMs. */
function spans(stages: readonly TimedStage[], startMs: number, endMs: number): Span[] {
  return stages
    .filter((s) => s.status !== 'skipped')
    .map((s) => ({ name: s.name, start: Math.max(s.startMs, startMs), end: Math.min(s.endMs ?? endMs, endMs) }))
    .filter((s) => s.end > s.start || (s.end === s.start && s.start < endMs))
    .sort((a, b) => a.start - b.start);
}

/** Length of the union of the spans (they are sorted by start). */
function unionMs(sorted: readonly Span[]): number {
  let total = 0;
  let open: Span | undefined;
  for (const s of sorted) {
    if (open && s.start <= open.end) open = { ...open, end: Math.max(open.end, s.end) };
    else {
      if (open) total += open.end - open.start;
      open = s;
    }
  }
  return total + (open ? open.end - open.start : 0);
}

/** The gaps no span covers, walking from startMs to endMs. */
function gaps(sorted: readonly Span[], startMs: number, endMs: number, milestone: string): { before: string; ms: number }[] {
  const out: { before: string; ms: number }[] = [];
  let cursor = startMs;
  for (const s of sorted) {
    if (s.start > cursor) out.push({ before: s.name, ms: s.start - cursor });
    cursor = Math.max(cursor, s.end);
  }
  if (endMs > cursor) out.push({ before: milestone, ms: endMs - cursor });
  return out;
}

/** Splits the time from startMs to the milestone at endMs into value-add and wait (lead = value-add + wait). */
export function flowTimeline(stages: readonly TimedStage[], startMs: number, endMs: number, milestone: string): FlowTimeline {
  const worked = spans(stages, startMs, endMs);
  const waits = gaps(worked, startMs, endMs, milestone);
  return {
    startMs, endMs, milestone,
    leadMs: endMs - startMs,
    valueAddMs: unionMs(worked),
    waitMs: waits.reduce((sum, w) => sum + w.ms, 0),
    processing: worked.map((s) => ({ stage: s.name, ms: s.end - s.start })),
    waits,
  };
}
