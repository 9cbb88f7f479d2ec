import { describe, expect, it } from 'vitest';
import { newRowsSince, selectTrainingWindow } from '../../../src/Dps.Domain/retraining/training-window';

const versions = [
  { version: 3, committedAt: '2024-05-03T00:00:00Z', rows: 300 },
  { version: 1, committedAt: '2024-04-01T00:00:00Z', rows: 100 },
  { version: 2, committedAt: '2024-04-28T00:00:00Z', rows: 0 },
  { version: 4, committedAt: '2024-05-04T00:00:00Z', rows: 400 },
];
const now = '2024-05-05T00:00:00Z';

describe('selectTrainingWindow', () => {
  it('takes the latest N versions, oldest first, leaving out empty ones', () => {
    expect(selectTrainingWindow(versions, { by: 'versions', latest: 3 }, now)).toEqual({
      ok: true,
      value: { versions: [3, 4], rows: 700, from: '2024-05-03T00:00:00Z', to: '2024-05-04T00:00:00Z' },
    });
  });

  it('takes every version committed in the last N days', () => {
    expect(selectTrainingWindow(versions, { by: 'time', days: 30 }, now)).toMatchObject({ ok: true, value: { versions: [3, 4], rows: 700 } });
    expect(selectTrainingWindow(versions, { by: 'time', days: 40 }, now)).toMatchObject({ ok: true, value: { versions: [1, 3, 4], rows: 800 } });
  });

  it('says why nothing qualifies, or the setting is wrong', () => {
    expect(selectTrainingWindow(versions, { by: 'time', days: 0.5 }, now)).toEqual({ ok: false, error: 'no silver version with rows committed in the last 0.5 days' });
    expect(selectTrainingWindow(versions, { by: 'versions', latest: 0 }, now)).toEqual({ ok: false, error: 'training window latest must be a whole number >= 1 (got 0)' });
  });
});

describe('newRowsSince', () => {
  it('counts rows in versions after the last trained one', () => {
    expect(newRowsSince(versions, 2)).toBe(700);
    expect(newRowsSince(versions, 4)).toBe(0);
  });
});
