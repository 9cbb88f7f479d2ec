import { describe, expect, it } from 'vitest';
import { flowReport } from '../../src/Dps.Domain/flow/flow-report';
import type { FlowInput } from '../../src/Dps.Domain/flow/flow-records';
import { flowRolloutOf, RolloutInstance } from '../../src/Dps.Functions/flow/flow-rollouts';
import { flowRunOf, runningFlowRun } from '../../src/Dps.Functions/flow/flow-runs';
import { flowWindow, previousWeek } from '../../src/Dps.Functions/flow/flow-window';
import { pdcaActions, renderPdcaReport } from '../../src/Dps.Functions/flow/pdca-report';
import type { PipelineResult } from '../../src/Dps.Functions/pipeline/pipeline-run';

const quarantine = { container: 'quarantine', name: 'churn/abc.r1.jsonl' };

function stored(overrides: Partial<PipelineResult> = {}): PipelineResult {
  return {
    instanceId: 'pipeline-churn-abc', dataset: 'churn', sha256: 'abc', status: 'accepted',
    rows: { read: 10, accepted: 8, quarantined: 1, duplicates: 1 },
    stages: [
      { name: 'contract', status: 'succeeded', startedAt: '2026-11-02T10:00:05.000Z', endedAt: '2026-11-02T10:00:06.000Z' },
      { name: 'validate', status: 'succeeded', startedAt: '2026-11-02T10:00:08.000Z', endedAt: '2026-11-02T10:00:10.000Z' },
      { name: 'train', status: 'succeeded', startedAt: '2026-11-02T10:00:11.000Z', endedAt: '2026-11-02T10:00:20.000Z' },
    ],
    errors: [], warnings: [], layers: { quarantine },
    model: { name: 'churn', version: 3, alias: 'challenger' } as PipelineResult['model'],
    landedAt: '2026-11-02T10:00:00.000Z',
    ...overrides,
  };
}

function input(runs: FlowInput['runs'], rollouts: FlowInput['rollouts'] = []): FlowInput {
  return {
    window: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' }, runs, rollouts,
    prices: { currency: 'USD', perGbSecond: 0.000026, perMillionExecutions: 0.4, per10kWrites: 0.065, per10kReads: 0.005 },
    availableHoursPerDay: 24, instanceMemoryMB: 2048,
    slo: { pipelineLeadTimeP95Ms: 15 * 60_000, predictP99Ms: 500, availability: 0.995 },
    observations: { predictLatencies: [], requests: { total: 0, failed: 0 } },
  };
}

describe('stored runs as flow records', () => {
  it('lands a run when its batch landed, registers its model when training ended, counts replays of its quarantine', () => {
    const run = flowRunOf(stored(), [{ replayedFrom: [quarantine] }, { replayedFrom: [{ container: 'quarantine', name: 'other.jsonl' }] }, {}]);
    expect(run).toMatchObject({ id: 'pipeline-churn-abc', landedAt: '2026-11-02T10:00:00.000Z', replays: 1, model: { name: 'churn', version: 3, alias: 'challenger', registeredAt: '2026-11-02T10:00:20.000Z' } });
    expect(run.stages.map((s) => s.name)).toEqual(['contract', 'validate', 'train']);
  });

  it('falls back to the first stage for runs stored before landedAt was recorded, and leaves out a model without a train stage', () => {
    const run = flowRunOf(stored({ landedAt: undefined, stages: stored().stages.slice(0, 2) }), []);
    expect(run.landedAt).toBe('2026-11-02T10:00:05.000Z');
    expect(run.model).toBeUndefined();
    expect(run.replays).toBe(0);
  });

  it('gives the Domain records whose lead time splits into value-add and wait', () => {
    const report = flowReport(input([flowRunOf(stored(), [])]));
    if (!report.ok) throw new Error(report.error.join('\n'));
    const finished = report.value.overall.leadTime.toFinished;
    expect(finished.count).toBe(1);
    expect(finished.totalMs).toBe(20_000);
    const { leadMs, valueAddMs, waitMs } = report.value.overall.flowEfficiency;
    expect(valueAddMs + waitMs).toBe(leadMs);
    expect(valueAddMs).toBe(12_000);
  });

  it('counts a run under way as work in progress', () => {
    const live = runningFlowRun({ instanceId: 'pipeline-churn-def', createdTime: '2026-11-07T23:59:00.000Z', dataset: 'churn', rows: { read: 0, accepted: 0, quarantined: 0, duplicates: 0 },
      stages: [{ name: 'contract', status: 'running', startedAt: '2026-11-07T23:59:01.000Z' }] });
    const report = flowReport(input([live]));
    if (!report.ok) throw new Error(report.error.join('\n'));
    expect(report.value.overall.workInProgress.runs).toBe(1);
  });
});

/** The Durable status of `rollout-churn` promoting v3 (started 10 min after the run landed, promoted 30 min later). */
function rolloutInstance(overrides: Partial<RolloutInstance> = {}): RolloutInstance {
  return {
    name: 'rollout', runtimeStatus: 'Completed' as RolloutInstance['runtimeStatus'],
    createdTime: new Date('2026-11-02T10:10:00.000Z'), lastUpdatedTime: new Date('2026-11-02T10:40:05.000Z'),
    input: { model: 'churn', challenger: 3, champion: 2 }, output: { status: 'promoted', updatedAt: '2026-11-02T10:40:00.000Z' },
    ...overrides,
  };
}

describe('rollouts as flow records', () => {
  it('reads a rollout instance: start at creation, end at its last state, a failed or terminated one as aborted', () => {
    expect(flowRolloutOf(rolloutInstance())).toEqual({ model: 'churn', version: 3, status: 'promoted', startedAt: '2026-11-02T10:10:00.000Z', endedAt: '2026-11-02T10:40:00.000Z', stages: [] });
    expect(flowRolloutOf(rolloutInstance({ runtimeStatus: 'Running' as RolloutInstance['runtimeStatus'], output: null }))).toEqual({ model: 'churn', version: 3, status: 'running', startedAt: '2026-11-02T10:10:00.000Z', stages: [] });
    expect(flowRolloutOf(rolloutInstance({ runtimeStatus: 'Terminated' as RolloutInstance['runtimeStatus'], output: null }))).toMatchObject({ status: 'aborted', endedAt: '2026-11-02T10:40:05.000Z' });
    expect(flowRolloutOf(rolloutInstance({ output: { status: 'rolledBack', updatedAt: '2026-11-02T10:20:00.000Z' } }))).toMatchObject({ status: 'rolledBack', endedAt: '2026-11-02T10:20:00.000Z' });
    expect(flowRolloutOf(rolloutInstance({ name: 'abTest' }))).toBeUndefined();
  });

  it("takes a challenger's lead time to champion to its rollout's promotion: the rollout is value-add, the gap before it a wait", () => {
    const report = flowReport(input([flowRunOf(stored(), [])], [flowRolloutOf(rolloutInstance())!]));
    if (!report.ok) throw new Error(report.error.join('\n'));
    const { overall } = report.value;
    expect(overall.leadTime.toChampion.count).toBe(1);
    expect(overall.leadTime.toChampion.totalMs).toBe(40 * 60_000);
    // Stages 12 s of the run plus the 30 min rollout; waits: 8 s inside the run, 9 min 40 s before the rollout.
    expect(overall.flowEfficiency).toMatchObject({ journeys: 1, leadMs: 40 * 60_000, valueAddMs: 12_000 + 30 * 60_000, waitMs: 8_000 + 580_000 });
    const rollout = overall.stages.find((s) => s.stage === 'rollout');
    expect([rollout?.processing.totalMs, rollout?.waitBefore.totalMs]).toEqual([30 * 60_000, 580_000]);
    expect(overall.throughput).toMatchObject({ championed: 1 });
  });
});

describe('the flow window', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('defaults to the last 30 days, takes days, or from and to', () => {
    expect(flowWindow(new URLSearchParams(), now)).toEqual({ ok: true, value: { from: '2026-10-30T12:00:00.000Z', to: '2026-11-29T12:00:00.000Z' } });
    expect(flowWindow(new URLSearchParams('days=7&to=2026-11-08T00:00:00Z'), now)).toEqual({ ok: true, value: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-08T00:00:00.000Z' } });
    expect(flowWindow(new URLSearchParams('from=2026-11-01&to=2026-11-02'), now)).toEqual({ ok: true, value: { from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' } });
  });

  it('names the parameter and the rule of a bad window', () => {
    expect(flowWindow(new URLSearchParams('days=abc'), now)).toEqual({ ok: false, error: expect.stringMatching(/^days must be a number of days/) });
    expect(flowWindow(new URLSearchParams('from=yesterday'), now)).toEqual({ ok: false, error: expect.stringMatching(/^from must be an ISO 8601 date/) });
    expect(flowWindow(new URLSearchParams('from=2026-11-02&to=2026-11-01'), now)).toEqual({ ok: false, error: expect.stringMatching(/must be before to/) });
    expect(flowWindow(new URLSearchParams('from=2020-01-01'), now)).toEqual({ ok: false, error: expect.stringMatching(/longer than 366 days/) });
  });

  it('ends the PDCA week at the start of the current UTC day', () => {
    expect(previousWeek(now)).toEqual({ from: '2026-11-22T00:00:00.000Z', to: '2026-11-29T00:00:00.000Z' });
  });
});

describe('the weekly PDCA page', () => {
  const slow = stored({ instanceId: 'pipeline-churn-slow', landedAt: '2026-11-02T09:00:00.000Z' });
  const report = flowReport(input([flowRunOf(slow, []), flowRunOf(stored({ dataset: '<b>x</b>', instanceId: 'pipeline-x-1', status: 'rejected', model: undefined }), [])]));
  if (!report.ok) throw new Error(report.error.join('\n'));

  it('names the stage with the longest queue and the rework as actions', () => {
    const actions = pdcaActions(report.value);
    expect(actions[0]).toMatch(/^The longest queue is in front of 'contract'/);
    expect(actions.some((a) => a.startsWith('1 of 2 finished batches did not pass first time'))).toBe(true);
  });

  it('shows what flowed, waited, cost, drifted and was saved, every value escaped', () => {
    const html = renderPdcaReport(report.value, { generatedAt: '2026-11-09T06:00:00.000Z', savings: { month: '2026-11', amount: 12.5, stops: 4, currency: 'USD' } });
    for (const heading of ['Plan: the objectives', 'Do: what flowed', 'Check: where it waited, what it cost', 'What drifted', 'What was saved', 'Act']) expect(html).toContain(heading);
    expect(html).toContain('12.50 USD</strong> from 4 stops');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).not.toContain('<b>x</b>');
  });
});
