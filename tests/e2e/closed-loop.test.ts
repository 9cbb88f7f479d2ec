import { describe, expect, it } from 'vitest';
import { runDemo } from './closed-loop-demo';

// The rollback scenario runs in closed-loop-rollback.test.ts: a second host in one process would
// meet the first host's storage in the audit adapters, which keep theirs once opened.
describe('the closed loop (dps demo)', () => {
  it('drifted traffic leads to a drift verdict, a retrain, a challenger and a canary that promotes it, all audited', async () => {
    const { code, result, stderr } = await runDemo();
    expect(result.error, stderr).toBeUndefined();
    expect(code).toBe(0);
    expect(result.steps.map((s: { step: string }) => s.step)).toEqual(['champion', 'drift', 'challenger', 'rollout', 'audit']);
    expect(result.champion.before).toBe(1);
    expect(result.challenger).toBe(2);
    expect(result.rollout).toMatchObject({ status: 'promoted', version: 2 });
    expect(result.champion.after).toBe(2);
    expect(result.audit).toMatchObject({ ok: true });
    // Every step is in the audit chain; the chain is in arrival order, so a step's events follow the
    // step before it (events emitted by concurrent functions, e.g. the monitor's verdict and the retrain's
    // first decision, may interleave).
    const trail: string[] = result.trail;
    expect(trail).toEqual(expect.arrayContaining(['drift.window', 'retrain.triggered', 'retrain.requested', 'retrain.decision', 'retrain.started']));
    const order = ['model.registered', 'drift.detected', 'retrain.completed', 'rollout.started', 'rollout.promoted'];
    const positions = order.map((what) => trail.indexOf(what));
    expect(positions.every((p) => p >= 0), `trail: ${trail.join(', ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  }, 120_000);
});
