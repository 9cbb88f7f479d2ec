import { describe, expect, it } from 'vitest';
import { flowReport } from '../../../src/Dps.Domain/flow/flow-report';
import type { FlowInput } from '../../../src/Dps.Domain/flow/flow-records';
import { at, input, rollout, run, stage } from './flow-fixtures';

const errors = (i: FlowInput): string[] => {
  const r = flowReport(i);
  return r.ok ? [] : r.error;
};

describe('flow input rules', () => {
  it('names the run, stage and field of a bad timestamp or a stage that ends before it starts', () => {
    const bad = run('p1', 10, [{ name: 'contract', status: 'succeeded', startedAt: '2026-03-02 00:11', endedAt: at(12) }, stage('validate', 20, 15)]);
    expect(errors(input([bad]))).toEqual([
      "run 'p1' stage 0 'contract': startedAt '2026-03-02 00:11' is not an ISO timestamp with a UTC offset, e.g. 2024-03-29T18:00:00Z",
      `run 'p1' stage 1 'validate': endedAt ${at(15)} is before startedAt ${at(20)}`,
    ]);
  });

  it('refuses stages before landing, open stages in a finished run and rows that do not add up', () => {
    const bad = run('p2', 10, [stage('contract', 5, 6), stage('validate', 7)], { rows: { read: 10, accepted: 5, quarantined: 1, duplicates: 1 } });
    expect(errors(input([bad]))).toEqual([
      `run 'p2' stage 0 'contract': startedAt ${at(5)} is before the work began`,
      `run 'p2' stage 1 'validate': startedAt ${at(7)} is before the work began`,
      "run 'p2' stage 1 'validate': endedAt is missing but the run has finished",
      'run \'p2\': rows.read 10 must equal accepted 5 + quarantined 1 + duplicates 1',
    ]);
  });

  it('refuses a finished rollout without an end, an inverted window and impossible settings', () => {
    const i = input([], [rollout('churn', 2, 'promoted', 10)], { window: { from: at(10), to: at(10) }, availableHoursPerDay: 25 });
    i.slo = { ...i.slo, availability: 99.5 };
    i.observations = { predictLatencies: [{ ms: 3, count: 1 }, { ms: -1, count: 1.5 }], requests: { total: 1, failed: 2 } };
    expect(errors(i)).toEqual([
      `window: to ${at(10)} must be after from ${at(10)}`,
      'settings: availableHoursPerDay must be in (0, 24], got 25',
      'slo: availability must be a share in (0, 1), e.g. 0.995, got 99.5',
      'observations: predictLatencies[1].ms must be >= 0, got -1',
      'observations: predictLatencies[1].count must be a whole number >= 0, got 1.5',
      'observations: requests.failed must not exceed requests.total',
      "rollout 'churn' v2: endedAt is missing but the rollout is promoted",
    ]);
  });

  it('accepts a running run with an open stage', () => {
    expect(errors(input([run('p3', 10, [stage('contract', 11)], { status: 'running' })]))).toEqual([]);
  });
});
