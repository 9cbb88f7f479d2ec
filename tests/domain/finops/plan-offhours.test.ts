import { describe, expect, it } from 'vitest';
import { planOffHours } from '../../../src/Dps.Domain/finops/plan-offhours';
import { decide, plan, resource } from './plan-fixtures';

// Instants below are written by hand from the zones' offsets: Berlin CET +01:00, CEST +02:00
// (2024: spring forward 31 Mar 01:00Z, fall back 27 Oct 01:00Z); New York EST -05:00, EDT -04:00
// (2024: spring forward 10 Mar 07:00Z, fall back 3 Nov 06:00Z). 29 Mar 2024 is a Friday.
const BERLIN = 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin';
const offhoursTag = (schedule: string) => ({ 'dps-offhours': schedule });
const stoppedByUs = (schedule: string) => ({ 'dps-offhours': schedule, 'dps-stopped-by': 'offhours' });

describe('planOffHours: transitions in the window', () => {
  it('stops a running resource when the off time fell in the default window of one hour', () => {
    const vm = resource('vm', 'running', offhoursTag(BERLIN));
    expect(decide(vm, '2024-03-29T18:00:00Z').action).toBe('stop');
    expect(decide(vm, '2024-03-29T18:59:59Z').action).toBe('stop');
    expect(decide(vm, '2024-03-29T17:59:59Z').action).toBe('none');
    expect(decide(vm, '2024-03-29T19:00:00Z').action).toBe('none');
  });

  it('uses since when given and reports the window', () => {
    const p = plan([resource('vm', 'running', offhoursTag(BERLIN))], '2024-03-29T19:30:00Z', { since: '2024-03-29T17:00:00Z' });
    expect(p).toMatchObject({ since: '2024-03-29T17:00:00.000Z', at: '2024-03-29T19:30:00.000Z' });
    expect(p.decisions[0]).toMatchObject({ action: 'stop', reason: 'off at 2024-03-29 19:00 Europe/Berlin' });
  });

  it('lets the later transition win when both fell in the window', () => {
    const window = { since: '2024-03-29T17:00:00Z' };
    expect(decide(resource('a', 'stopped', stoppedByUs(BERLIN)), '2024-04-01T06:00:00Z', window)).toMatchObject({
      action: 'start',
      reason: 'on at 2024-04-01 07:00 Europe/Berlin',
    });
    expect(decide(resource('b', 'running', offhoursTag(BERLIN)), '2024-04-01T06:00:00Z', window)).toMatchObject({
      action: 'none',
      reason: 'on at 2024-04-01 07:00 Europe/Berlin: already running',
    });
  });

  it('keeps a resource started by hand during off-hours on until the next off', () => {
    const vm = resource('vm', 'running', stoppedByUs(BERLIN));
    expect(decide(vm, '2024-03-30T11:00:00Z').action).toBe('none');
    expect(decide(vm, '2024-04-01T05:00:00Z').action).toBe('none');
    expect(decide(vm, '2024-04-01T17:00:00Z').action).toBe('stop');
  });

  it('starts only resources that DPS stopped', () => {
    const mine = resource('mine', 'stopped', { 'dps-offhours': BERLIN, 'DPS-Stopped-By': 'offhours' });
    const theirs = resource('theirs', 'stopped', offhoursTag(BERLIN));
    expect(decide(mine, '2024-04-01T05:00:00Z').action).toBe('start');
    const other = decide(theirs, '2024-04-01T05:00:00Z');
    expect(other.action).toBe('none');
    expect(other.reason).toContain('no dps-stopped-by=offhours');
  });

  it('does not stop what is already stopped', () => {
    expect(decide(resource('vm', 'stopped', offhoursTag(BERLIN)), '2024-03-29T18:00:00Z')).toMatchObject({ action: 'none', reason: expect.stringContaining('already stopped') });
  });

  it('applies the default schedule to an empty tag and leaves untagged or opted-out resources alone', () => {
    const p = plan(
      [resource('empty', 'running', { 'dps-offhours': '' }), resource('untagged', 'running', {}), resource('out', 'running', { 'dps-offhours': 'none' })],
      '2024-03-29T19:00:00Z',
    );
    expect(p.decisions.map((d) => [d.id, d.action, d.reason])).toEqual([
      ['empty', 'stop', 'off at 2024-03-29 19:00 UTC'],
      ['out', 'none', 'opted out (dps-offhours=none)'],
      ['untagged', 'none', 'no dps-offhours tag: not managed'],
    ]);
  });
});

describe('planOffHours: daylight-saving days', () => {
  it('Europe/Berlin spring forward: 02:00 does not exist and fires at 03:00 CEST (01:00Z)', () => {
    const vm = resource('vm', 'running', offhoursTag('off=(U,2);on=(M,7);tz=Europe/Berlin'));
    expect(decide(vm, '2024-03-31T00:59:59Z').action).toBe('none');
    expect(decide(vm, '2024-03-31T01:00:00Z').action).toBe('stop');
  });

  it('Europe/Berlin fall back: the repeated 02:00 fires once, at its first occurrence (00:00Z)', () => {
    const vm = resource('vm', 'running', offhoursTag('off=(U,2);tz=Europe/Berlin'));
    expect(decide(vm, '2024-10-27T00:00:00Z').action).toBe('stop');
    expect(decide(vm, '2024-10-27T01:00:00Z').action).toBe('none');
  });

  it('Europe/Berlin weekday hours keep their local time on both sides of a change', () => {
    const vm = resource('vm', 'running', offhoursTag(BERLIN));
    expect(decide(vm, '2024-10-25T17:00:00Z').action).toBe('stop'); // 19:00 CEST
    expect(decide(vm, '2024-10-28T18:00:00Z').action).toBe('stop'); // 19:00 CET
    const stopped = resource('vm', 'stopped', stoppedByUs(BERLIN));
    expect(decide(stopped, '2024-04-01T05:00:00Z').action).toBe('start'); // 07:00 CEST
    expect(decide(stopped, '2024-03-29T06:00:00Z').action).toBe('start'); // 07:00 CET
  });

  it('off and on collapsed into one instant by the gap: the later scheduled hour wins', () => {
    const vm = resource('vm', 'stopped', stoppedByUs('on=(U,3);off=(U,2);tz=Europe/Berlin'));
    expect(decide(vm, '2024-03-31T01:00:00Z').action).toBe('start');
  });

  it('America/New_York spring forward: 02:00 fires at 03:00 EDT (07:00Z)', () => {
    const vm = resource('vm', 'stopped', stoppedByUs('on=(U,2);tz=America/New_York'));
    expect(decide(vm, '2024-03-10T06:59:59Z').action).toBe('none');
    expect(decide(vm, '2024-03-10T07:00:00Z').action).toBe('start');
  });

  it('America/New_York fall back: the repeated 01:00 fires at 01:00 EDT (05:00Z) only', () => {
    const vm = resource('vm', 'running', offhoursTag('off=(U,1);tz=America/New_York'));
    expect(decide(vm, '2024-11-03T05:00:00Z').action).toBe('stop');
    expect(decide(vm, '2024-11-03T06:00:00Z').action).toBe('none');
  });

  it('America/New_York weekday 19:00 moves from 00:00Z to 23:00Z across the fall change', () => {
    const vm = resource('vm', 'running', offhoursTag('off=(M-F,19);tz=America/New_York'));
    expect(decide(vm, '2024-11-01T23:00:00Z').action).toBe('stop'); // Friday, EDT
    expect(decide(vm, '2024-11-05T00:00:00Z').action).toBe('stop'); // Monday, EST
  });
});

describe('planOffHours: weekends, skip days, snooze', () => {
  const weekend = 'off=(S-U,0);on=(M,0);tz=UTC';

  it('runs weekend-only schedules (1 June 2024 is a Saturday)', () => {
    expect(decide(resource('vm', 'running', offhoursTag(weekend)), '2024-05-31T00:00:00Z').action).toBe('none');
    expect(decide(resource('vm', 'running', offhoursTag(weekend)), '2024-06-01T00:00:00Z').action).toBe('stop');
    expect(decide(resource('vm', 'running', offhoursTag(weekend)), '2024-06-02T00:00:00Z').action).toBe('stop');
    expect(decide(resource('vm', 'stopped', stoppedByUs(weekend)), '2024-06-03T00:00:00Z').action).toBe('start');
  });

  it('does nothing on a skip day, read in the resource zone', () => {
    const tags = { 'dps-offhours': 'off=(M-F,0);tz=Europe/Berlin', 'dps-offhours-skip': '2024-12-24' };
    const skipped = decide(resource('vm', 'running', tags), '2024-12-23T23:00:00Z'); // 24 Dec 00:00 CET
    expect(skipped).toMatchObject({ action: 'none', reason: 'off at 2024-12-24 00:00 Europe/Berlin not applied: 2024-12-24 is a skip day' });
    expect(decide(resource('vm', 'running', tags), '2024-12-24T23:00:00Z').action).toBe('stop'); // 25 Dec 00:00 CET
  });

  it('does not stop a snoozed resource and stops it when the snooze ends during off-hours', () => {
    const tags = { 'dps-offhours': BERLIN, 'dps-snooze-until': '2024-03-29T20:30:00Z' };
    const vm = resource('vm', 'running', tags);
    expect(decide(vm, '2024-03-29T18:00:00Z')).toMatchObject({
      action: 'none',
      reason: 'off at 2024-03-29 19:00 Europe/Berlin not applied: snoozed until 2024-03-29T20:30:00.000Z',
    });
    expect(decide(vm, '2024-03-29T20:00:00Z').action).toBe('none');
    expect(decide(vm, '2024-03-29T21:00:00Z')).toMatchObject({ action: 'stop', reason: expect.stringContaining('snooze ended at 2024-03-29T20:30:00.000Z') });
    expect(decide(vm, '2024-03-29T22:00:00Z').action).toBe('none');
  });

  it('ignores a snooze that ends during on-hours or ended before the off time', () => {
    const daytime = resource('vm', 'running', { 'dps-offhours': BERLIN, 'dps-snooze-until': '2024-03-28T10:30:00Z' });
    expect(decide(daytime, '2024-03-28T11:00:00Z').action).toBe('none');
    const expired = resource('vm', 'running', { 'dps-offhours': BERLIN, 'dps-snooze-until': '2024-03-01T00:00:00Z' });
    expect(decide(expired, '2024-03-29T18:00:00Z').action).toBe('stop');
  });
});

describe('planOffHours: bad input', () => {
  it.each([
    ['off=(X-F,19)', "unknown day 'X'"],
    ['off=(M-F,24)', 'hour 24 is out of range 0-23'],
    ['off=(M-F,25)', 'hour 25 is out of range 0-23'],
    ['off=(M-F,19', "missing ')'"],
    ['off=(M-F,19);when=later', "unknown key 'when'"],
    ['off=(M-F,19);tz=Mars/Base', "unknown time zone 'Mars/Base'"],
  ])('skips a resource tagged %s and goes on with the others', (schedule, message) => {
    const p = plan([resource('bad', 'running', offhoursTag(schedule)), resource('good', 'running', offhoursTag(BERLIN))], '2024-03-29T18:00:00Z');
    expect(p.decisions.map((d) => [d.id, d.action])).toEqual([
      ['good', 'stop'],
      ['bad', 'skip'],
    ]);
    expect(p.decisions[1].reason).toContain(`dps-offhours: `);
    expect(p.decisions[1].reason).toContain(message);
  });

  it.each([
    [{ at: '2024-13-01T00:00:00Z' }, "at: '2024-13-01T00:00:00Z' is not a real date and time"],
    [{ at: '2024-03-29T18:00:00Z', since: 'yesterday' }, "since: 'yesterday' is not an ISO timestamp"],
    [{ at: '2024-03-29T18:00:00Z', since: '2024-03-29T18:00:00Z' }, 'since (2024-03-29T18:00:00Z) must be before at (2024-03-29T18:00:00Z)'],
    [{ at: '2024-03-29T18:00:00Z', since: '2024-03-29T19:00:00Z' }, 'must be before at'],
    [{ at: '2024-03-29T18:00:00Z', since: '2024-03-21T18:00:00Z' }, 'the window from since to at is 192.0 h; at most 168 h'],
  ])('rejects the evaluation %j', (times, message) => {
    const r = planOffHours({ resources: [], defaults: { schedule: BERLIN }, ...times });
    expect(r).toEqual({ ok: false, error: expect.stringContaining(message) });
  });

  it('accepts a window of exactly seven days', () => {
    expect(planOffHours({ resources: [], at: '2024-03-29T18:00:00Z', since: '2024-03-22T18:00:00Z', defaults: { schedule: BERLIN } }).ok).toBe(true);
  });

  it('rejects bad defaults and repeated ids', () => {
    const at = '2024-03-29T18:00:00Z';
    expect(planOffHours({ resources: [], at, defaults: { schedule: 'off=(M-F,19);tz=Mars/Base' } })).toEqual({
      ok: false,
      error: "defaults.schedule: unknown time zone 'Mars/Base'",
    });
    expect(planOffHours({ resources: [], at, defaults: { schedule: BERLIN, hourlyCost: NaN } })).toEqual({
      ok: false,
      error: 'defaults.hourlyCost must be a finite number >= 0, got NaN',
    });
    const twice = [resource('vm', 'running', {}), resource('vm', 'stopped', {})];
    expect(planOffHours({ resources: twice, at, defaults: { schedule: BERLIN } })).toEqual({ ok: false, error: "resources: id 'vm' appears more than once" });
  });
});
