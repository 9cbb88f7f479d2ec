import { describe, expect, it } from 'vitest';
import { runDemo } from './closed-loop-demo';

describe('the closed loop, second scenario (dps demo --scenario rollback)', () => {
  it('feedback proves the challenger wrong and the canary rolls it back, audited', async () => {
    const { code, result, stderr } = await runDemo('--scenario', 'rollback');
    expect(result.error, stderr).toBeUndefined();
    expect(code).toBe(0);
    expect(result.steps.map((s: { step: string }) => s.step)).toEqual(['champion', 'drift', 'challenger', 'rollout', 'audit']);
    expect(result.rollout).toMatchObject({ status: 'rolledBack', version: 2 });
    expect(result.rollout.gates).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'onlineAuc', passed: false })]));
    expect(result.champion).toEqual({ before: 1, after: 1 });
    expect(result.trail).toEqual(expect.arrayContaining(['drift.detected', 'retrain.completed', 'rollout.started', 'rollout.rolledBack']));
    expect(result.audit).toMatchObject({ ok: true });
  }, 120_000);
});
