import { describe, expect, it } from 'vitest';
import { parseOffHoursTags } from '../../../src/Dps.Domain/finops/offhours-tags';
import { OffHoursSchedule } from '../../../src/Dps.Domain/finops/offhours-schedule';

const defaults: OffHoursSchedule = { rules: [{ kind: 'off', days: [0, 1, 2, 3, 4], hour: 19 }], timeZone: 'Europe/Berlin' };

function policy(tags: Record<string, string>) {
  const r = parseOffHoursTags(tags, defaults);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function problem(tags: Record<string, string>): string {
  const r = parseOffHoursTags(tags, defaults);
  if (r.ok) throw new Error('expected the tags to be rejected');
  return r.error;
}

describe('parseOffHoursTags', () => {
  it('leaves a resource without dps-offhours unmanaged and opts out on none', () => {
    expect(policy({ env: 'dev' })).toEqual({ kind: 'unmanaged' });
    expect(policy({ 'dps-offhours': 'None' })).toEqual({ kind: 'opted-out' });
  });

  it('uses the default schedule for an empty value and its zone for a tag without tz', () => {
    const empty = policy({ 'dps-offhours': '' });
    expect(empty.kind === 'managed' && empty.schedule).toEqual(defaults);
    const own = policy({ 'dps-offhours': 'on=(M-F,8)' });
    expect(own.kind === 'managed' && own.schedule).toEqual({ rules: [{ kind: 'on', days: [0, 1, 2, 3, 4], hour: 8 }], timeZone: 'Europe/Berlin' });
  });

  it('matches tag names case-insensitively and reads every tag', () => {
    expect(
      policy({
        'DPS-OffHours': 'off=(S,10);tz=UTC',
        'Dps-OffHours-Skip': '2024-12-24, 2024-12-31',
        'DPS-SNOOZE-UNTIL': '2024-03-29T20:30:00+01:00',
        'dps-Sequence': '-3',
        'DPS-Stopped-By': 'offhours',
        'Dps-Hourly-Cost': '0.75',
      }),
    ).toEqual({
      kind: 'managed',
      schedule: { rules: [{ kind: 'off', days: [5], hour: 10 }], timeZone: 'UTC' },
      skipDates: ['2024-12-24', '2024-12-31'],
      snoozeUntilMs: Date.UTC(2024, 2, 29, 19, 30),
      sequence: -3,
      stoppedByOffHours: true,
      hourlyCost: 0.75,
    });
  });

  it('defaults the sequence to 0 and only counts dps-stopped-by=offhours', () => {
    const p = policy({ 'dps-offhours': '', 'dps-stopped-by': 'someone' });
    expect(p.kind === 'managed' && [p.sequence, p.stoppedByOffHours]).toEqual([0, false]);
  });

  it.each([
    [{ 'dps-offhours': 'off=(M-F,25)' }, 'dps-offhours: off: hour 25 is out of range 0-23'],
    [{ 'dps-offhours': 'off=(M-F,19);tz=Mars/Base' }, "dps-offhours: unknown time zone 'Mars/Base'"],
    [{ 'dps-offhours': '', 'dps-offhours-skip': '2024-02-30' }, "dps-offhours-skip: '2024-02-30' is not a date YYYY-MM-DD"],
    [{ 'dps-offhours': '', 'dps-snooze-until': 'tomorrow' }, "dps-snooze-until: 'tomorrow' is not an ISO timestamp"],
    [{ 'dps-offhours': '', 'dps-snooze-until': '2024-03-29T20:30:00' }, 'with a UTC offset'],
    [{ 'dps-offhours': '', 'dps-sequence': '1.5' }, "dps-sequence: '1.5' is not an integer"],
    [{ 'dps-offhours': '', 'dps-hourly-cost': '-2' }, "dps-hourly-cost: '-2' is not a number >= 0"],
    [{ 'dps-offhours': '', 'DPS-OFFHOURS': 'none' }, 'tag dps-offhours is given more than once (dps-offhours, DPS-OFFHOURS)'],
  ])('rejects %j naming the tag and the problem', (tags, message) => {
    expect(problem(tags)).toContain(message);
  });

  it('ignores the other tags of an opted-out resource', () => {
    expect(policy({ 'dps-offhours': 'none', 'dps-sequence': 'x' })).toEqual({ kind: 'opted-out' });
  });
});
