import { describe, expect, it } from 'vitest';
import { runFlows } from '../../../src/Dps.Domain/flow/run-flow';
import { at, rollout, run, stage } from './flow-fixtures';

const MIN = 60_000;

describe('run flows', () => {
  it('gives each run its timelines to the milestones it reached', () => {
    const registered = run('p1', 0, [stage('validate', 2, 5), stage('train', 6, 12)], { model: { name: 'churn', version: 2, alias: 'challenger', registeredAt: at(12) } });
    const running = run('p2', 20, [stage('validate', 21)], { status: 'running' });
    const r = runFlows([registered, running], [rollout('churn', 2, 'promoted', 20, 40)]);
    if (!r.ok) throw new Error(r.error.join('; '));
    const [p1, p2] = r.value;
    expect(p1.finished).toMatchObject({ leadMs: 12 * MIN, valueAddMs: 9 * MIN, waitMs: 3 * MIN });
    // Registration at 12, the canary from 20 to 40 (no traffic steps recorded: one `rollout` stage).
    expect(p1.champion?.waits).toEqual([{ before: 'validate', ms: 2 * MIN }, { before: 'train', ms: MIN }, { before: 'rollout', ms: 8 * MIN }]);
    expect(p1.champion).toMatchObject({ leadMs: 40 * MIN, valueAddMs: 29 * MIN });
    expect(p2).toEqual({ id: 'p2', dataset: 'churn', status: 'running', finished: undefined, registered: undefined, champion: undefined });
  });

  it('names the bad record', () => {
    const r = runFlows([run('p3', 0, [], { replays: -1 })], []);
    expect(r).toEqual({ ok: false, error: ["run 'p3': replays must be a whole number >= 0, got -1"] });
  });
});
