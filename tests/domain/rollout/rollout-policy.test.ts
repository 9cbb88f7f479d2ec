import { describe, expect, it } from 'vitest';
import { BINARY_PREDICTION_EDGES, Observation, VersionCounters, countObservations } from '../../../src/Dps.Domain/rollout/rollout-counters';
import { RolloutEvent, RolloutState, advanceRollout, rolloutRoutingTable, rolloutWeights, startRollout } from '../../../src/Dps.Domain/rollout/rollout-policy';
import { DEFAULT_ROLLOUT_PLAN, RolloutPlan } from '../../../src/Dps.Domain/rollout/rollout-plan';
import { rolloutStatusBody } from '../../../src/Dps.Domain/rollout/rollout-status';

const spec = { task: 'binary' as const, threshold: 0.5, predictionEdges: BINARY_PREDICTION_EDGES };
const plan: RolloutPlan = { ...DEFAULT_ROLLOUT_PLAN, bakeSeconds: 60, minSamples: 100, thresholds: { ...DEFAULT_ROLLOUT_PLAN.thresholds, minLabels: 50, feedbackWaitSeconds: 600 } };

interface Traffic {
  rows?: number;
  errorEvery?: number;
  latencyMs?: number;
  /** Score of row i. */
  score?: (i: number) => number;
  /** Labels: row i's label, or none. */
  label?: (i: number) => number | undefined;
}

/** Counters of a version that served `rows` rows with the given behaviour. */
function traffic(t: Traffic = {}): VersionCounters {
  const rows = t.rows ?? 200;
  const score = t.score ?? ((i) => ((i * 37) % 100) / 100 + 0.005);
  const observations: Observation[] = [];
  for (let i = 0; i < rows; i++) {
    const error = t.errorEvery !== undefined && i % t.errorEvery === 0;
    observations.push(error ? { kind: 'served', latencyMs: t.latencyMs ?? 2.5, error: true } : { kind: 'served', latencyMs: t.latencyMs ?? 2.5, score: score(i) });
    const label = t.label?.(i);
    if (label !== undefined) observations.push({ kind: 'outcome', score: score(i), label });
  }
  return countObservations(observations, spec);
}

const start = (p: RolloutPlan = plan): RolloutState => startRollout({ instanceId: 'rollout-churn', model: 'churn', task: 'binary', champion: 1, challenger: 2, plan: p, nowMs: 0 });
const at = (seconds: number, champion: VersionCounters, challenger: VersionCounters): RolloutEvent => ({ type: 'evaluate', nowMs: seconds * 1000, champion, challenger });

/** Runs evaluate events one bake apart until the rollout ends or `max` events pass; returns the actions. */
function run(state: RolloutState, champion: () => VersionCounters, challenger: () => VersionCounters, max = 20): { state: RolloutState; actions: string[] } {
  const actions: string[] = [];
  for (let i = 1; i <= max && state.status === 'running' && state.phase !== 'awaitingApproval'; i++) {
    const next = advanceRollout(state, at(i * 61, champion(), challenger()));
    state = next.state;
    actions.push(next.action.kind);
  }
  return { state, actions };
}

describe('canary rollout policy', () => {
  it('walks a good challenger through 5, 25, 50, 100 % and promotes it', () => {
    const { state, actions } = run(start(), () => traffic(), () => traffic());
    expect(actions).toEqual(['advance', 'advance', 'advance', 'promote']);
    expect(state.status).toBe('promoted');
    expect(rolloutWeights(state)).toEqual({ champion: 100, challenger: 0 });
    expect(rolloutRoutingTable(state).arms).toEqual([{ alias: 'champion', version: 2, weight: 100 }]);
  });

  it('waits for the bake time and for the minimum samples on both sides', () => {
    const early = advanceRollout(start(), at(30, traffic(), traffic()));
    expect(early.action).toMatchObject({ kind: 'wait', untilMs: 60_000 });
    const thin = advanceRollout(start(), at(61, traffic(), traffic({ rows: 40 })));
    expect(thin.action.kind).toBe('wait');
    expect(thin.state.reason).toContain('40 of 100 samples');
    expect(thin.state.stepIndex).toBe(0);
  });

  it('rolls back on a hard gate, naming it and its numbers, and puts all traffic back on the champion', () => {
    const { state, actions } = run(start(), () => traffic(), () => traffic({ errorEvery: 10 }));
    expect(actions).toEqual(['rollback']);
    expect(state.status).toBe('rolledBack');
    expect(state.reason).toContain('gate errorRate failed');
    expect(state.reason).toContain('challenger 10.00% errors (20/200) vs champion 0.00% (0/200)');
    expect(rolloutWeights(state)).toEqual({ champion: 100, challenger: 0 });
    expect(rolloutRoutingTable(state).arms.find((a) => a.alias === 'challenger')?.weight).toBe(0);
  });

  it('rolls back a slow challenger on p95 latency', () => {
    const { state } = run(start(), () => traffic({ latencyMs: 4 }), () => traffic({ latencyMs: 40 }));
    expect(state.status).toBe('rolledBack');
    expect(state.gates.find((g) => g.name === 'latencyP95')).toMatchObject({ passed: false, threshold: 1.5 });
  });

  it('holds on prediction shift and asks for feedback; rolls back when no labels arrive in time', () => {
    const shifted = () => traffic({ score: () => 0.95 });
    const first = advanceRollout(start(), at(61, traffic(), shifted()));
    expect(first.action).toMatchObject({ kind: 'hold', requestFeedback: true, deadlineMs: 661_000 });
    expect(first.state.phase).toBe('holding');
    expect(first.state.gates.find((g) => g.name === 'predictionShift')?.passed).toBe(false);
    const still = advanceRollout(first.state, at(300, traffic(), shifted()));
    expect(still.action.kind).toBe('hold');
    const late = advanceRollout(still.state, at(662, traffic(), shifted()));
    expect(late.action).toMatchObject({ kind: 'rollback', gate: 'predictionShift' });
    expect(late.state.reason).toContain('labels per version arrived within 600 s');
  });

  it('a shifted challenger whose labels show it is as good moves on; one whose online accuracy is worse is rolled back', () => {
    // Labels follow the score for the good one (it is right) and oppose it for the bad one.
    const truth = (score: (i: number) => number) => (i: number) => (score(i) >= 0.5 ? 1 : 0);
    const championScore = (i: number) => ((i * 37) % 100) / 100 + 0.005;
    const shiftedScore = (i: number) => Math.min(0.995, championScore(i) * 0.5 + 0.45);
    const champion = () => traffic({ score: championScore, label: truth(championScore) });
    const good = advanceRollout(start(), at(61, champion(), traffic({ score: shiftedScore, label: truth(shiftedScore) })));
    expect(good.state.gates.find((g) => g.name === 'predictionShift')?.passed).toBe(false);
    expect(good.action.kind).toBe('advance');
    const bad = advanceRollout(start(), at(61, champion(), traffic({ score: shiftedScore, label: (i) => 1 - truth(shiftedScore)(i) })));
    expect(bad.action).toMatchObject({ kind: 'rollback', gate: 'onlineAuc' });
    expect(bad.state.reason).toMatch(/challenger AUC 0\.\d+ vs champion 1\.0000/);
  });

  it('with manual approval waits after the last step; approve promotes, and an early approve is remembered', () => {
    const manual = { ...plan, approval: 'manual' as const };
    const { state, actions } = run(start(manual), () => traffic(), () => traffic());
    expect(actions).toEqual(['advance', 'advance', 'advance', 'awaitApproval']);
    expect(state.phase).toBe('awaitingApproval');
    expect(advanceRollout(state, at(9999, traffic(), traffic())).action.kind).toBe('wait');
    const approved = advanceRollout(state, { type: 'approve', nowMs: 10_000_000, who: 'ops@example.com' });
    expect(approved.action).toMatchObject({ kind: 'promote', champion: 2, previous: 1 });
    expect(approved.state.reason).toContain('approved by ops@example.com');
    const early = advanceRollout(start(manual), { type: 'approve', nowMs: 1, who: 'ops' });
    expect(early.action.kind).toBe('approved');
    expect(run(early.state, () => traffic(), () => traffic()).actions).toEqual(['advance', 'advance', 'advance', 'promote']);
  });

  it('abort ends a running rollout with the champion untouched; events after the end are ignored', () => {
    const moved = advanceRollout(start(), at(61, traffic(), traffic())).state;
    const aborted = advanceRollout(moved, { type: 'abort', nowMs: 70_000, who: 'ops', reason: 'customer complaint' });
    expect(aborted.action).toMatchObject({ kind: 'abort', reason: 'aborted by ops at step 2 (25%): customer complaint' });
    expect(rolloutWeights(aborted.state)).toEqual({ champion: 100, challenger: 0 });
    expect(advanceRollout(aborted.state, at(200, traffic(), traffic())).action.kind).toBe('ignored');
    expect(advanceRollout(aborted.state, { type: 'approve', nowMs: 1, who: 'x' }).state).toBe(aborted.state);
  });

  it('shadow mode keeps the champion answering and mirrors the step share to the challenger', () => {
    const shadow = start({ ...plan, mode: 'shadow', steps: [10, 50] });
    expect(rolloutRoutingTable(shadow)).toEqual({ model: 'churn', mode: 'shadow', arms: [{ alias: 'champion', version: 1, weight: 100 }], mirror: { alias: 'challenger', version: 2, mirrorPercent: 10 } });
    expect(rolloutWeights(shadow)).toEqual({ champion: 100, challenger: 0 });
    const { state, actions } = run(shadow, () => traffic(), () => traffic());
    expect(actions).toEqual(['advance', 'promote']);
    expect(state.status).toBe('promoted');
  });

  it('answers the rollout GET shape of DESIGN.md', () => {
    const moved = advanceRollout(start(), at(61, traffic(), traffic())).state;
    const body = rolloutStatusBody(moved);
    expect(body).toMatchObject({ instanceId: 'rollout-churn', status: 'running', version: 2, step: 2, weights: { champion: 75, challenger: 25 }, phase: 'baking', stepStartedAt: '1970-01-01T00:01:01.000Z' });
    expect(body.gates.map((g) => g.name)).toEqual(['errorRate', 'latencyP95', 'predictionShift']);
    for (const g of body.gates) expect(Object.keys(g).slice(0, 4)).toEqual(['name', 'value', 'threshold', 'passed']);
  });
});
