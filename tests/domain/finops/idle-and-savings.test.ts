import { describe, expect, it } from 'vitest';
import { decide, plan, resource } from './plan-fixtures';
import { planOffHours } from '../../../src/Dps.Domain/finops/plan-offhours';

const BERLIN = 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin';
const thresholds = { idleHours: 24, cpuBelowPercent: 5 };
// Tuesday 2024-03-26 12:00Z: no off/on time near, so only the idle policy can act.
const NOON = '2024-03-26T12:00:00Z';

describe('idle policy', () => {
  const vms = ['no-runs', 'low-cpu', 'busy', 'young', 'no-metrics'].map((id) => resource(id, 'running', { 'dps-offhours': BERLIN }));
  const byResource = {
    'no-runs': { hoursObserved: 48, executions: 0, avgCpuPercent: 30 },
    'low-cpu': { hoursObserved: 48, executions: 12, avgCpuPercent: 2.5 },
    busy: { hoursObserved: 48, executions: 12, avgCpuPercent: 30 },
    young: { hoursObserved: 12, executions: 0, avgCpuPercent: 0 },
  };

  it('proposes a stop for resources without executions or under the CPU threshold long enough', () => {
    const decisions = plan(vms, NOON, { metrics: { thresholds, byResource } }).decisions;
    expect(decisions.map((d) => [d.id, d.action])).toEqual([
      ['low-cpu', 'stop'],
      ['no-runs', 'stop'],
      ['busy', 'none'],
      ['no-metrics', 'none'],
      ['young', 'none'],
    ]);
    expect(decisions[0].reason).toBe(
      'idle: 12 executions and 2.5% average CPU over 48 h (idle means no executions or CPU below 5% for 24 h)',
    );
  });

  it('leaves the reason to the schedule when it stops the resource anyway', () => {
    const d = decide(vms[0], '2024-03-26T18:00:00Z', { metrics: { thresholds, byResource } });
    expect(d).toMatchObject({ action: 'stop', reason: 'off at 2024-03-26 19:00 Europe/Berlin' });
  });

  it('does not stop idle resources that are snoozed, opted out or not managed', () => {
    const metrics = { thresholds, byResource: { a: byResource['no-runs'], b: byResource['no-runs'], c: byResource['no-runs'] } };
    const snoozed = resource('a', 'running', { 'dps-offhours': BERLIN, 'dps-snooze-until': '2024-03-27T00:00:00Z' });
    const out = resource('b', 'running', { 'dps-offhours': 'none' });
    const untagged = resource('c', 'running', {});
    expect(plan([snoozed, out, untagged], NOON, { metrics }).decisions.map((d) => d.action)).toEqual(['none', 'none', 'none']);
  });

  it('rejects thresholds or figures that are not numbers >= 0, naming the field', () => {
    const bad = { thresholds, byResource: { vm: { hoursObserved: 48, executions: -1, avgCpuPercent: 0 } } };
    expect(planOffHours({ resources: [], at: NOON, defaults: { schedule: BERLIN }, metrics: bad })).toEqual({
      ok: false,
      error: 'metrics.byResource[vm].executions must be a finite number >= 0',
    });
  });
});

describe('savings estimates', () => {
  it('multiplies the default hourly price by the hours until the next on, across daylight saving', () => {
    // Fri 29 Mar 19:00 CET (18:00Z) to Mon 1 Apr 07:00 CEST (05:00Z) is 59 hours: the clocks lost one.
    expect(decide(resource('vm', 'running', { 'dps-offhours': BERLIN }), '2024-03-29T18:00:00Z', { defaults: { schedule: BERLIN, hourlyCost: 2 } }).estimatedSavings).toEqual({
      hourlyCost: 2,
      hours: 59,
      amount: 118,
    });
    // Fri 25 Oct 19:00 CEST (17:00Z) to Mon 28 Oct 07:00 CET (06:00Z) is 61 hours.
    expect(decide(resource('vm', 'running', { 'dps-offhours': BERLIN }), '2024-10-25T17:00:00Z', { defaults: { schedule: BERLIN, hourlyCost: 2 } }).estimatedSavings).toEqual({
      hourlyCost: 2,
      hours: 61,
      amount: 122,
    });
  });

  it('prefers the dps-hourly-cost tag and counts from the evaluation time', () => {
    const vm = resource('vm', 'running', { 'dps-offhours': BERLIN, 'dps-hourly-cost': '1.5' });
    // Evaluated at 18:30Z, half an hour after the off time: 58.5 hours until Monday 05:00Z.
    expect(decide(vm, '2024-03-29T18:30:00Z').estimatedSavings).toEqual({ hourlyCost: 1.5, hours: 58.5, amount: 87.75 });
  });

  it('skips an on time that falls on a skip day', () => {
    const vm = resource('vm', 'running', { 'dps-offhours': BERLIN, 'dps-offhours-skip': '2024-04-01' });
    // Monday 1 Apr is skipped, so the next on is Tue 2 Apr 07:00 CEST (05:00Z): 83 hours.
    expect(decide(vm, '2024-03-29T18:00:00Z').estimatedSavings?.hours).toBe(83);
  });

  it('counts up to the one-week horizon when no on time follows', () => {
    const vm = resource('vm', 'running', { 'dps-offhours': 'off=(M-F,19);tz=UTC', 'dps-hourly-cost': '0.1' });
    expect(decide(vm, '2024-03-29T19:00:00Z').estimatedSavings).toEqual({ hourlyCost: 0.1, hours: 168, amount: 16.8 });
  });

  it('gives savings only on stops', () => {
    const started = decide(resource('vm', 'stopped', { 'dps-offhours': BERLIN, 'dps-stopped-by': 'offhours' }), '2024-04-01T05:00:00Z');
    expect(started.action).toBe('start');
    expect(started.estimatedSavings).toBeUndefined();
  });
});
