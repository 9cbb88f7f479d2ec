import { describe, expect, it } from 'vitest';
import { parseWindowSettings, nextRowWindow, timeWindowOf, windowState } from '../../../src/Dps.Domain/drift/drift-windows';
import { INITIAL_HYSTERESIS, HysteresisState, advanceHysteresis, checkHysteresis } from '../../../src/Dps.Domain/drift/hysteresis';

describe('windows', () => {
  it('reads settings with defaults and names the broken rule', () => {
    expect(parseWindowSettings({})).toEqual({ ok: true, value: { by: 'rows', rows: 10_000, minRows: 100 } });
    expect(parseWindowSettings({ by: 'time', minutes: 15, minRows: 50 })).toEqual({ ok: true, value: { by: 'time', minutes: 15, minRows: 50 } });
    expect(parseWindowSettings({ by: 'time', minutes: 7 })).toEqual({ ok: false, error: 'window minutes must be a whole divisor of 1440 (a day) (got 7)' });
    expect(parseWindowSettings({ by: 'rows', rows: 50, minRows: 100 })).toMatchObject({ ok: false, error: expect.stringContaining('minRows 100') });
    expect(parseWindowSettings({ by: 'weekly' })).toMatchObject({ ok: false, error: "window by must be 'rows' or 'time' (got 'weekly')" });
  });

  it('aligns time windows to their length', () => {
    expect(timeWindowOf(Date.parse('2024-03-01T10:47:12Z'), 15)).toEqual({ start: '2024-03-01T10:45:00.000Z', end: '2024-03-01T11:00:00.000Z' });
    expect(nextRowWindow(20_000, { rows: 10_000 })).toEqual({ start: '20000', end: '30000' });
  });

  it('a row window completes at its size; a time window at its end, unless below the minimum', () => {
    const rows = { by: 'rows', rows: 1000, minRows: 100 } as const;
    expect(windowState(rows, { rows: 999, end: '1000' }, 0)).toBe('open');
    expect(windowState(rows, { rows: 1000, end: '1000' }, 0)).toBe('complete');
    const time = { by: 'time', minutes: 15, minRows: 100 } as const;
    const end = '2024-03-01T11:00:00.000Z';
    expect(windowState(time, { rows: 5000, end }, Date.parse(end) - 1)).toBe('open');
    expect(windowState(time, { rows: 5000, end }, Date.parse(end))).toBe('complete');
    expect(windowState(time, { rows: 99, end }, Date.parse(end))).toBe('tooSmall');
  });
});

describe('hysteresis', () => {
  const settings = { enter: 3, exit: 2 };
  const run = (verdicts: boolean[]) => {
    let state: HysteresisState = INITIAL_HYSTERESIS;
    const flips: number[] = [];
    verdicts.forEach((v, i) => {
      const next = advanceHysteresis(state, v, `w${i}`, settings);
      if (next.changed) flips.push(i);
      state = next.state;
    });
    return { state, flips };
  };

  it('needs k drifted windows in a row to enter drift; a clean window resets the streak', () => {
    expect(run([true, true, false, true, true]).state.status).toBe('clean');
    expect(run([true, true, true]).flips).toEqual([2]);
    expect(run([true, true, true]).state).toEqual({ status: 'drift', streak: 0, since: 'w2' });
  });

  it('needs k clean windows in a row to recover', () => {
    const { state, flips } = run([true, true, true, false, true, false, false]);
    expect(flips).toEqual([2, 6]);
    expect(state.status).toBe('clean');
  });

  it('checks its settings', () => {
    expect(checkHysteresis({ enter: 0, exit: 1 })).toEqual({ ok: false, error: 'hysteresis enter must be a whole number >= 1 (got 0)' });
    expect(checkHysteresis(settings).ok).toBe(true);
  });
});
