import { describe, expect, it } from 'vitest';
import { AbTestPlan, abRoutingTable, abStatusBody, abVerdict, analyzeAbTest, parseAbTestRequest } from '../../../src/Dps.Domain/rollout/ab-test';
import { parseRolloutBody } from '../../../src/Dps.Domain/rollout/rollout-body';
import { BINARY_PREDICTION_EDGES, Observation, countObservations } from '../../../src/Dps.Domain/rollout/rollout-counters';
import { twoProportionZTest } from '../../../src/Dps.Domain/rollout/significance-tests';

const binary = { task: 'binary' as const, threshold: 0.5, predictionEdges: BINARY_PREDICTION_EDGES };
const plan: AbTestPlan = { arms: [{ version: 1, weight: 50 }, { version: 2, weight: 25 }, { version: 3, weight: 25 }], durationSeconds: 3600, alpha: 0.05, minLabels: 100, promoteWinner: false };

/** An arm whose `correct` of `n` labelled rows were classified right. */
function arm(correct: number, n: number) {
  const rows: Observation[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({ kind: 'served', latencyMs: 1, score: 0.9 });
    rows.push({ kind: 'outcome', score: 0.9, label: i < correct ? 1 : 0 });
  }
  return countObservations(rows, binary);
}

describe('A/B test', () => {
  it('compares each arm with the control by a two-proportion z-test, Bonferroni-corrected', () => {
    const reports = analyzeAbTest('binary', plan, [arm(600, 1000), arm(660, 1000), arm(630, 1000)]);
    expect(reports[0].comparison).toBeUndefined();
    expect(reports[1].metric).toEqual({ name: 'accuracy', value: 0.66 });
    const z = twoProportionZTest(660, 1000, 600, 1000);
    expect(reports[1].comparison).toMatchObject({ test: 'two-proportion-z', statistic: z.statistic, pValue: z.pValue, better: true });
    // p ~ 0.005 < 0.025; p ~ 0.16 is not.
    expect(reports[1].comparison?.significant).toBe(true);
    expect(reports[2].comparison?.significant).toBe(false);
  });

  it('runs for its duration, then names a winner and promotes it only when asked', () => {
    const reports = analyzeAbTest('binary', plan, [arm(600, 1000), arm(660, 1000), arm(630, 1000)]);
    expect(abVerdict(plan, 0, 3_599_999, reports)).toEqual({ kind: 'running', endsMs: 3_600_000 });
    expect(abVerdict(plan, 0, 3_600_000, reports)).toMatchObject({ kind: 'concluded', winner: 2, promote: false });
    expect(abVerdict({ ...plan, promoteWinner: true }, 0, 3_600_000, reports)).toMatchObject({ winner: 2, promote: true });
    const none = abVerdict(plan, 0, 3_600_000, analyzeAbTest('binary', plan, [arm(600, 1000), arm(610, 1000), arm(590, 1000)]));
    expect(none).toMatchObject({ kind: 'concluded', promote: false });
    expect('winner' in none).toBe(false);
  });

  it('answers the rollout GET shape: running, then completed without promotion or promoted when asked', () => {
    const reports = analyzeAbTest('binary', plan, [arm(600, 1000), arm(660, 1000), arm(630, 1000)]);
    const alias = (v: number) => (v === 1 ? 'champion' : `v${v}`);
    const running = abStatusBody('rollout-churn', plan, abVerdict(plan, 0, 10, reports), reports, alias);
    expect(running).toMatchObject({ instanceId: 'rollout-churn', status: 'running', version: 1, step: 1, weights: { champion: 50, v2: 25, v3: 25 } });
    expect(running.gates.map((g) => [g.name, g.threshold, g.passed])).toEqual([['v2 accuracy vs v1', 0.025, true], ['v3 accuracy vs v1', 0.025, false]]);
    expect(abStatusBody('i', plan, abVerdict(plan, 0, 3_600_000, reports), reports, alias)).toMatchObject({ status: 'completed', version: 2, weights: { champion: 0 } });
    const promoting = { ...plan, promoteWinner: true };
    expect(abStatusBody('i', promoting, abVerdict(promoting, 0, 3_600_000, reports), reports, alias).status).toBe('promoted');
    expect(abStatusBody('i', plan, { kind: 'aborted' }, reports, alias).status).toBe('aborted');
  });

  it('does not compare arms without enough labels', () => {
    const reports = analyzeAbTest('binary', plan, [arm(60, 100), arm(40, 50), arm(66, 100)]);
    expect(reports[1].comparison).toBeUndefined();
    expect(reports[2].comparison).toBeDefined();
  });

  it('compares regression arms on mean squared error with Welch', () => {
    const regression = (errors: number[]) => countObservations(errors.map((e) => ({ kind: 'outcome' as const, score: e, label: 0 })), { task: 'regression', threshold: 0, predictionEdges: [0, 1] });
    const small = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
    const large = small.map((e) => e + 0.5);
    const reports = analyzeAbTest('regression', { ...plan, arms: plan.arms.slice(0, 2) }, [regression(large), regression(small)]);
    expect(reports[1].comparison).toMatchObject({ test: 'welch-t', better: true, significant: true });
  });

  it('reads its body, naming bad fields, and routes by the arms', () => {
    const body = { mode: 'ab', arms: [{ version: 1, weight: 60 }, { version: 2, weight: 40 }], durationSeconds: 600 };
    const parsed = parseRolloutBody(body);
    expect(parsed).toEqual({ ok: true, value: { kind: 'ab', plan: { arms: body.arms, durationSeconds: 600, alpha: 0.05, minLabels: 100, promoteWinner: false } } });
    expect(parseRolloutBody({ steps: [50, 100] }).ok && (parseRolloutBody({ steps: [50, 100] }) as { value: { kind: string } }).value.kind).toBe('staged');
    const cases: Array<[unknown, string]> = [
      [{ ...body, arms: [body.arms[0]] }, 'arms'],
      [{ ...body, arms: [{ version: 1, weight: 60 }, { version: 1, weight: 40 }] }, 'arms[1].version'],
      [{ ...body, arms: [{ version: 1, weight: 60 }, { version: 2, weight: 30 }] }, 'arms'],
      [{ ...body, durationSeconds: 0 }, 'durationSeconds'],
      [{ ...body, alpha: 0.7 }, 'alpha'],
      [{ ...body, promoteWinner: 'yes' }, 'promoteWinner'],
      [{ ...body, steps: [5] }, 'steps'],
    ];
    for (const [b, field] of cases) {
      const r = parseAbTestRequest(b);
      expect(r.ok ? 'accepted' : r.error.field).toBe(field);
    }
    const table = abRoutingTable('churn', plan, (v) => (v === 1 ? 'champion' : `v${v}`));
    expect(table.arms.map((a) => [a.alias, a.weight])).toEqual([['champion', 50], ['v2', 25], ['v3', 25]]);
  });
});
