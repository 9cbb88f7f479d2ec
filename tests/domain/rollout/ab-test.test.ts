import { describe, expect, it } from 'vitest';
import { AbTestPlan, abRoutingTable, abVerdict, analyzeAbTest, parseAbTestRequest } from '../../../src/Dps.Domain/rollout/ab-test';
import { abAliasEvidence, abTestStatusBody, advanceAbTest, startAbTest } from '../../../src/Dps.Domain/rollout/ab-test-state';
import { parseRolloutBody } from '../../../src/Dps.Domain/rollout/rollout-body';
import { BINARY_PREDICTION_EDGES, Observation, countObservations } from '../../../src/Dps.Domain/rollout/rollout-counters';
import { proportionDifferenceInterval, twoProportionZTest } from '../../../src/Dps.Domain/rollout/significance-tests';

const binary = { task: 'binary' as const, threshold: 0.5, predictionEdges: BINARY_PREDICTION_EDGES };
const plan: AbTestPlan = { arms: [{ version: 1, weight: 50 }, { version: 2, weight: 25 }, { version: 3, weight: 25 }], durationSeconds: 3600, minSamples: 100, minLabels: 100, labelWaitSeconds: 600, alpha: 0.05, promote: 'manual' };

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
  it('compares each arm with the control on accuracy by a two-proportion z-test, Bonferroni-corrected, with the interval of the difference', () => {
    const reports = analyzeAbTest('binary', plan, [arm(600, 1000), arm(660, 1000), arm(630, 1000)]);
    expect(reports[0].comparisons).toEqual([]);
    expect(reports[1].metric).toEqual({ name: 'accuracy', value: 0.66 });
    const z = twoProportionZTest(660, 1000, 600, 1000);
    const accuracy = reports[1].comparisons.find((c) => c.metric === 'accuracy')!;
    expect(accuracy).toMatchObject({ test: 'two-proportion-z', statistic: z.statistic, pValue: z.pValue, better: true });
    expect(accuracy.difference).toBeCloseTo(0.06, 12);
    expect(accuracy.interval).toEqual(proportionDifferenceInterval(660, 1000, 600, 1000, 0.025));
    // p ~ 0.005 < 0.025; p ~ 0.16 is not.
    expect(accuracy.significant).toBe(true);
    expect(reports[2].comparisons.find((c) => c.metric === 'accuracy')!.significant).toBe(false);
    // No errors on either side: the error-rate test has no statistic and shows no difference.
    expect(reports[1].comparisons.find((c) => c.metric === 'errorRate')).toMatchObject({ significant: false, difference: 0 });
  });

  it('runs for its duration, waits for samples and labels, then names a winner and promotes it only when asked', () => {
    const reports = analyzeAbTest('binary', plan, [arm(600, 1000), arm(660, 1000), arm(630, 1000)]);
    expect(abVerdict(plan, 0, 3_599_999, reports)).toEqual({ kind: 'running', endsMs: 3_600_000 });
    expect(abVerdict(plan, 0, 3_600_000, reports)).toMatchObject({ kind: 'concluded', winner: 2, promote: false });
    expect(abVerdict({ ...plan, promote: 'auto' }, 0, 3_600_000, reports)).toMatchObject({ winner: 2, promote: true });
    const none = abVerdict(plan, 0, 3_600_000, analyzeAbTest('binary', plan, [arm(600, 1000), arm(610, 1000), arm(590, 1000)]));
    expect(none).toMatchObject({ kind: 'concluded', promote: false, reason: expect.stringContaining('no significant difference') });
    expect('winner' in none).toBe(false);
    const few = analyzeAbTest('binary', plan, [arm(600, 1000), arm(40, 50), arm(630, 1000)]);
    expect(abVerdict(plan, 0, 3_600_000, few)).toMatchObject({ kind: 'waiting', untilMs: 4_200_000, reason: expect.stringContaining('v2 50/100 rows, 50/100 labels') });
    expect(abVerdict(plan, 0, 4_200_000, few)).toMatchObject({ kind: 'concluded', reason: expect.stringContaining('too few samples or labels') });
  });

  it('does not name a winner whose error rate is significantly worse', () => {
    const withErrors = (correct: number, n: number, errors: number) => {
      const c = arm(correct, n);
      return { ...c, requests: c.requests + errors, errors };
    };
    const reports = analyzeAbTest('binary', { ...plan, arms: plan.arms.slice(0, 2) }, [withErrors(600, 1000, 0), withErrors(700, 1000, 100)]);
    expect(reports[1].comparisons.find((c) => c.metric === 'errorRate')).toMatchObject({ significant: true, better: false });
    expect(abVerdict({ ...plan, arms: plan.arms.slice(0, 2) }, 0, 3_600_000, reports)).toMatchObject({ kind: 'concluded', reason: expect.stringContaining('no significant difference') });
  });

  it('moves through its states, answers the rollout GET shape, and promotes through alias evidence only when asked', () => {
    const aliases = { '1': 'champion', '2': 'challenger' };
    const start = (p: AbTestPlan) => startAbTest({ instanceId: 'rollout-churn', model: 'churn', task: 'binary', plan: p, champion: 1, aliases, nowMs: 0 });
    const counters = [arm(600, 1000), arm(660, 1000), arm(630, 1000)];
    const early = advanceAbTest(start(plan), { type: 'evaluate', nowMs: 10, counters });
    expect(early.action).toEqual({ kind: 'wait', untilMs: 3_600_000 });
    const running = abTestStatusBody(early.state);
    expect(running).toMatchObject({ instanceId: 'rollout-churn', status: 'running', version: 1, step: 1, mode: 'ab', weights: { champion: 50, challenger: 25, v3: 25 } });
    expect(running.gates.map((g) => [g.name, g.threshold, g.passed])).toEqual([
      ['v2 errorRate vs v1', 0.025, false], ['v2 accuracy vs v1', 0.025, true], ['v3 errorRate vs v1', 0.025, false], ['v3 accuracy vs v1', 0.025, false],
    ]);
    // A stored state has lost its NaNs to JSON (no error-rate statistic without errors): still an answer.
    const stored = abTestStatusBody(JSON.parse(JSON.stringify(early.state)));
    expect(stored.gates[0].detail).toContain('statistic n/a');
    const done = advanceAbTest(early.state, { type: 'evaluate', nowMs: 3_600_000, counters });
    expect(done.action).toMatchObject({ kind: 'conclude', winner: 2 });
    expect(abTestStatusBody(done.state)).toMatchObject({ status: 'completed', version: 2, winner: 2, result: 'v2 wins', weights: { champion: 100, challenger: 0, v3: 0 } });
    expect(abAliasEvidence(done.state, { champion: {}, winner: {} }, 2, 'me', 'now')).toEqual([]);
    const auto = { ...plan, promote: 'auto' as const };
    const promoted = advanceAbTest(start(auto), { type: 'evaluate', nowMs: 3_600_000, counters });
    expect(promoted.action).toMatchObject({ kind: 'promote', champion: 2, previous: 1 });
    expect(abTestStatusBody(promoted.state)).toMatchObject({ status: 'promoted', weights: { champion: 0, challenger: 100 } });
    const evidence = abAliasEvidence(promoted.state, { champion: { auc: 0.8 }, winner: { auc: 0.82 } }, 2, 'me', 'now');
    expect(evidence.map((e) => [e.alias, e.version, e.status])).toEqual([['champion', 2, undefined], ['previous', 1, undefined], ['challenger', 2, 'promoted']]);
    expect(advanceAbTest(promoted.state, { type: 'abort', nowMs: 1, who: 'me' }).action.kind).toBe('ignored');
    const aborted = advanceAbTest(start(plan), { type: 'abort', nowMs: 5, who: 'ops', reason: 'enough' });
    expect(aborted.state).toMatchObject({ status: 'aborted', reason: expect.stringContaining('aborted by ops: enough') });
    expect(abTestStatusBody(aborted.state).weights).toMatchObject({ champion: 100, challenger: 0 });
  });

  it('does not compare arms without enough labels', () => {
    const reports = analyzeAbTest('binary', plan, [arm(60, 100), arm(40, 50), arm(66, 100)]);
    expect(reports[1].comparisons.map((c) => c.metric)).toEqual(['errorRate']);
    expect(reports[1].note).toContain('v2 has 50 and control v1 100 labels, 100 each needed');
    expect(reports[2].comparisons.map((c) => c.metric)).toEqual(['errorRate', 'accuracy']);
  });

  it('compares regression arms on mean squared error with Welch', () => {
    const regression = (errors: number[]) => countObservations(errors.map((e) => ({ kind: 'outcome' as const, score: e, label: 0 })), { task: 'regression', threshold: 0, predictionEdges: [0, 1] });
    const small = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
    const large = small.map((e) => e + 0.5);
    const reports = analyzeAbTest('regression', { ...plan, arms: plan.arms.slice(0, 2) }, [regression(large), regression(small)]);
    const mse = reports[1].comparisons.find((c) => c.metric === 'mse')!;
    expect(mse).toMatchObject({ test: 'welch-t', better: true, significant: true });
    // Mean squared errors 0.285 (errors 0, 0.1, ..., 0.9) and 0.985 (each 0.5 larger).
    expect(mse.difference).toBeCloseTo(-0.7, 10);
    expect(mse.interval[0]).toBeLessThan(mse.difference);
    expect(mse.interval[1]).toBeGreaterThan(mse.difference);
  });

  it('reads its body, naming bad fields, and routes by the arms', () => {
    const body = { mode: 'ab', arms: [{ version: 1, weight: 60 }, { version: 2, weight: 40 }], durationSeconds: 600 };
    const parsed = parseRolloutBody(body);
    expect(parsed).toEqual({ ok: true, value: { kind: 'ab', plan: { arms: body.arms, durationSeconds: 600, minSamples: 100, minLabels: 100, labelWaitSeconds: 3600, alpha: 0.05, promote: 'manual' } } });
    expect(parseRolloutBody({ steps: [50, 100] }).ok && (parseRolloutBody({ steps: [50, 100] }) as { value: { kind: string } }).value.kind).toBe('staged');
    const cases: Array<[unknown, string]> = [
      [{ ...body, arms: [body.arms[0]] }, 'arms'],
      [{ ...body, arms: [{ version: 1, weight: 60 }, { version: 1, weight: 40 }] }, 'arms[1].version'],
      [{ ...body, arms: [{ version: 1, weight: 60 }, { version: 2, weight: 30 }] }, 'arms'],
      [{ ...body, durationSeconds: 0 }, 'durationSeconds'],
      [{ ...body, alpha: 0.7 }, 'alpha'],
      [{ ...body, promote: 'yes' }, 'promote'],
      [{ ...body, durationSeconds: undefined }, 'durationSeconds'],
      [{ ...body, minSamples: 0 }, 'minSamples'],
      [{ ...body, labelWaitSeconds: -1 }, 'labelWaitSeconds'],
      [{ ...body, arms: [{ version: 1, weight: 60, colour: 'red' }, body.arms[1]] }, 'arms[0].colour'],
      [{ ...body, arms: [{ version: 0, weight: 60 }, body.arms[1]] }, 'arms[0].version'],
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
