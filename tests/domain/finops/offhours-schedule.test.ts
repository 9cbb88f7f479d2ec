import { describe, expect, it } from 'vitest';
import { parseOffHoursSchedule } from '../../../src/Dps.Domain/finops/offhours-schedule';

// Monday = 0 … Sunday = 6, written out by hand.
const MON = 0, WED = 2, THU = 3, FRI = 4, SAT = 5, SUN = 6;

function parsed(text: string, zone = 'UTC') {
  const r = parseOffHoursSchedule(text, zone);
  if (!r.ok) throw new Error(`expected '${text}' to parse: ${r.error}`);
  return r.value;
}

function problem(text: string): string {
  const r = parseOffHoursSchedule(text, 'UTC');
  if (r.ok) throw new Error(`expected '${text}' to be rejected`);
  return r.error;
}

describe('parseOffHoursSchedule', () => {
  it('reads off, on and tz', () => {
    expect(parsed('off=(M-F,19);on=(M-F,7);tz=Europe/Berlin')).toEqual({
      rules: [
        { kind: 'off', days: [0, 1, 2, 3, 4], hour: 19 },
        { kind: 'on', days: [0, 1, 2, 3, 4], hour: 7 },
      ],
      timeZone: 'Europe/Berlin',
    });
  });

  it('reads day lists, H as Thursday, S and U as the weekend', () => {
    expect(parsed('off=(M,W,H,0)').rules[0].days).toEqual([MON, WED, THU]);
    expect(parsed('off=(S-U,0)').rules[0].days).toEqual([SAT, SUN]);
  });

  it('wraps a range whose end comes before its start over the weekend', () => {
    expect(parsed('off=(F-M,20)').rules[0].days).toEqual([MON, FRI, SAT, SUN]);
  });

  it('accepts off or on alone, a list of entries, spaces and any case in keys and days', () => {
    expect(parsed('on=(m-f,7)').rules).toEqual([{ kind: 'on', days: [0, 1, 2, 3, 4], hour: 7 }]);
    expect(parsed(' OFF = [(M-F,19), (S,12)] ; ').rules).toEqual([
      { kind: 'off', days: [0, 1, 2, 3, 4], hour: 19 },
      { kind: 'off', days: [SAT], hour: 12 },
    ]);
  });

  it('uses the fallback zone when tz is missing', () => {
    expect(parsed('off=(M-F,19)', 'America/New_York').timeZone).toBe('America/New_York');
  });

  it.each([
    ['off=(X-F,19)', "unknown day 'X'"],
    ['off=(M-F,24)', 'hour 24 is out of range 0-23'],
    ['off=(M-F,25)', 'hour 25 is out of range 0-23'],
    ['off=(M-F,7.5)', "hour '7.5' must be a whole hour 0-23"],
    ['off=(M-F,19', "missing ')'"],
    ['off=M-F,19)', "missing '('"],
    ['off=(19)', 'needs days and an hour'],
    ['off=(M--F,19)', "day 'M--F' must be a letter"],
    ['off=[(M-F,19)', "unbalanced '[' ']'"],
    ['foo=bar;off=(M-F,19)', "unknown key 'foo'"],
    ['off=(M-F,19);off=(S,1)', "key 'off' is given twice"],
    ['offhours', "term 'offhours' must be key=value"],
    ['tz=UTC', 'has neither off= nor on='],
    ['off=(M,7);on=(M-F,7)', 'off and on are both set for M at 7:00'],
    ['off=(M-F,19);tz=Mars/Base', "unknown time zone 'Mars/Base'"],
  ])('rejects %s naming the problem', (text, message) => {
    expect(problem(text)).toContain(message);
  });
});
