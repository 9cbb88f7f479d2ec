import { describe, expect, it } from 'vitest';
import { finopsReport, monthOf, previousMonth } from '../../../src/Dps.Domain/finops/finops-report';
import type { OffHoursDecision } from '../../../src/Dps.Domain/finops/offhours-decision';
import { ActionRecord, ActionResult, PlannedRun, RunRecord, RunRef, runResults, stopSavings } from '../../../src/Dps.Domain/finops/run-records';
import { applyTagChanges, undoTagChanges } from '../../../src/Dps.Domain/finops/tag-changes';
import { hasOffHoursTag } from '../../../src/Dps.Domain/finops/offhours-tags';

const run: RunRef = { runId: 'r1', at: '2026-03-02T19:00:00.000Z', dryRun: false, trigger: 'timer', requestedBy: 'timer' };
const decision = (id: string, action: OffHoursDecision['action'], amount?: number): OffHoursDecision => ({
  id, type: 'vm', action, reason: `${action} ${id}`, sequence: 0, wave: action === 'skip' ? 0 : 1,
  ...(amount === undefined ? {} : { estimatedSavings: { hourlyCost: 1, hours: amount, amount } }),
});
const plan = (actions: OffHoursDecision[]): PlannedRun => ({ status: 'planned', since: '2026-03-02T18:00:00.000Z', decisions: { stop: 2, skip: 1 }, actions, startedAt: run.at });
const result = (d: OffHoursDecision, outcome: ActionResult['outcome']): ActionResult => ({ id: d.id, type: d.type, action: d.action, wave: d.wave, outcome, reason: d.reason, estimatedSavings: d.estimatedSavings });

describe('FinOps run records', () => {
  it('records what a real run did, reports skipped resources, and counts the savings of the stops done', () => {
    const [a, b, bad] = [decision('a', 'stop', 10), decision('b', 'stop', 5.555), decision('bad', 'skip')];
    const { record, actions } = runResults(run, plan([a, b, bad]), [result(a, 'stopped'), result(b, 'failed')], '2026-03-02T19:05:00.000Z');
    expect(actions.map((x) => [x.id, x.outcome, x.runId])).toEqual([['a', 'stopped', 'r1'], ['b', 'failed', 'r1'], ['bad', 'skipped', 'r1']]);
    expect(record).toMatchObject({ status: 'completed', outcomes: { stopped: 1, failed: 1, skipped: 1 }, savings: 10, completedAt: '2026-03-02T19:05:00.000Z' });
  });

  it('reports a dry run\'s stops as dry-run and counts what they would save', () => {
    const [a, b] = [decision('a', 'stop', 1.005), decision('b', 'stop', 2)];
    const { record, actions } = runResults({ ...run, dryRun: true }, plan([a, b]), [], run.at);
    expect(actions.map((x) => x.outcome)).toEqual(['dry-run', 'dry-run']);
    expect(record.savings).toBe(stopSavings(actions, 'dry-run').amount);
    expect(stopSavings(actions, 'dry-run').stops).toBe(2);
    expect(stopSavings(actions, 'stopped')).toEqual({ amount: 0, stops: 0 });
  });

  it('keeps months apart and builds the month\'s report newest first, real and dry-run savings separately', () => {
    expect(monthOf('2026-01-31T23:59:59Z')).toBe('2026-01');
    expect(previousMonth('2026-01')).toBe('2025-12');
    expect(previousMonth('2026-03')).toBe('2026-02');
    const rec = (runId: string, startedAt: string): RunRecord => ({ ...run, runId, status: 'completed', decisions: {}, outcomes: {}, savings: 0, startedAt });
    const act = (id: string, dryRun: boolean, outcome: ActionResult['outcome'], actedAt: string): ActionRecord => ({ ...result(decision(id, 'stop', 3), outcome), runId: 'r', at: actedAt, dryRun, actedAt });
    const report = finopsReport('2026-03', [rec('old', '2026-02-27T00:00:00Z'), rec('new', '2026-03-02T00:00:00Z')], [
      act('x', false, 'stopped', '2026-03-01T00:00:00Z'), act('y', true, 'dry-run', '2026-03-03T00:00:00Z'), act('z', false, 'failed', '2026-03-02T00:00:00Z'),
    ]);
    expect(report.runs.map((r) => r.runId)).toEqual(['new', 'old']);
    expect(report.actions.map((a) => a.id)).toEqual(['y', 'z', 'x']);
    expect(report.savingsMonthToDate).toEqual({ amount: 3, stops: 1 });
    expect(report.dryRunSavingsMonthToDate).toEqual({ amount: 3, stops: 1 });
  });
});

describe('tag changes on a resource', () => {
  it('applies removals, then the values set, keeping all other tags', () => {
    expect(applyTagChanges({ env: 'dev', old: '1', keep: 'x' }, { set: { 'dps-stopped-by': 'offhours', env: 'test' }, remove: ['old'] }))
      .toEqual({ env: 'test', keep: 'x', 'dps-stopped-by': 'offhours' });
  });

  it('undoes changes back to the original tags', () => {
    const original = { env: 'dev', old: '1' };
    const changes = { set: { 'dps-stopped-by': 'offhours', env: 'test' }, remove: ['old'] };
    expect(applyTagChanges(applyTagChanges(original, changes), undoTagChanges(original, changes))).toEqual(original);
  });

  it('counts a resource as opted in with any dps-offhours tag, a malformed repeated one included', () => {
    expect(hasOffHoursTag({ 'DPS-OffHours': 'off=(M-F,19)' })).toBe(true);
    expect(hasOffHoursTag({ env: 'dev' })).toBe(false);
    expect(hasOffHoursTag({ 'dps-offhours': 'a', 'DPS-OFFHOURS': 'b' })).toBe(true);
  });
});
