import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import type { TimedStage } from '../../../src/Dps.Domain/flow/flow-input-check';
import { flowTimeline } from '../../../src/Dps.Domain/flow/flow-timeline';

const s = (name: string, startMs: number, endMs?: number, status: TimedStage['status'] = 'succeeded'): TimedStage => ({ name, status, startMs, endMs });

describe('flow timeline', () => {
  it('splits landing -> milestone into stage time and the waits before each stage', () => {
    const t = flowTimeline([s('contract', 10, 20), s('validate', 25, 40), s('profile', 40, 45), s('train', 50, 100)], 0, 95, 'registered');
    expect(t.leadMs).toBe(95);
    // train is cut at the milestone: 45 of its 50 ms come before registration.
    expect(t.processing).toEqual([{ stage: 'contract', ms: 10 }, { stage: 'validate', ms: 15 }, { stage: 'profile', ms: 5 }, { stage: 'train', ms: 45 }]);
    expect(t.valueAddMs).toBe(75);
    expect(t.waits).toEqual([{ before: 'contract', ms: 10 }, { before: 'validate', ms: 5 }, { before: 'train', ms: 5 }]);
    expect(t.waitMs).toBe(20);
  });

  it('counts overlapping stages once and names the wait before the milestone', () => {
    const t = flowTimeline([s('a', 0, 50), s('b', 20, 60), s('c', 30, 40)], 0, 100, 'champion');
    expect(t.valueAddMs).toBe(60);
    expect(t.waits).toEqual([{ before: 'champion', ms: 40 }]);
  });

  it('leaves skipped stages out and counts a running stage up to the milestone', () => {
    const t = flowTimeline([s('train', 10, 10, 'skipped'), s('validate', 20, undefined, 'running')], 0, 50, 'finished');
    expect(t.processing).toEqual([{ stage: 'validate', ms: 30 }]);
    expect(t.waits).toEqual([{ before: 'validate', ms: 20 }]);
  });

  it('keeps lead time = value-add + wait on random overlapping, gapped and clipped stages', () => {
    const random = createRandom(14);
    for (let trial = 0; trial < 500; trial++) {
      const start = random.nextInt(1000);
      const stages = Array.from({ length: random.nextInt(8) }, (_, i) => {
        const from = start + random.nextInt(5000);
        const open = random.next() < 0.1;
        return s(`s${i}`, from, open ? undefined : from + random.nextInt(2000), open ? 'running' : random.next() < 0.1 ? 'skipped' : 'succeeded');
      });
      const end = start + random.nextInt(8000);
      const t = flowTimeline(stages, start, end, 'finished');
      expect(t.valueAddMs + t.waitMs).toBe(t.leadMs);
      expect(t.valueAddMs).toBeLessThanOrEqual(t.processing.reduce((sum, p) => sum + p.ms, 0));
      expect(t.waits.every((w) => w.ms > 0)).toBe(true);
    }
  });
});
