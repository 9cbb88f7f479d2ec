import { describe, expect, it } from 'vitest';
import { parseIsoDate, parseIsoInstant } from '../../src/Dps.Domain/iso-time';

describe('parseIsoInstant', () => {
  it('reads Z and numeric offsets, with or without seconds and fractions', () => {
    expect(parseIsoInstant('2024-03-29T18:00Z')).toEqual({ ok: true, value: Date.UTC(2024, 2, 29, 18) });
    expect(parseIsoInstant('2024-03-29T19:00:00.250+01:00')).toEqual({ ok: true, value: Date.UTC(2024, 2, 29, 18, 0, 0, 250) });
    expect(parseIsoInstant('2024-03-29T13:30:00-04:30')).toEqual({ ok: true, value: Date.UTC(2024, 2, 29, 18) });
  });

  it.each(['2024-03-29', '2024-03-29T18:00:00', 'now', '2024-03-29 18:00:00Z'])('rejects %s as not ISO with an offset', (text) => {
    expect(parseIsoInstant(text)).toEqual({ ok: false, error: expect.stringContaining('is not an ISO timestamp with a UTC offset') });
  });

  it.each(['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-03-29T24:00:00Z', '2024-03-29T10:60:00Z'])('rejects the impossible %s', (text) => {
    expect(parseIsoInstant(text)).toEqual({ ok: false, error: `'${text}' is not a real date and time` });
  });
});

describe('parseIsoDate', () => {
  it('accepts real dates, including 29 February of leap years', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ ok: true, value: { year: 2024, month: 2, day: 29 } });
  });

  it.each(['2100-02-29', '2024-13-01', '24-01-01', '2024-1-1'])('rejects %s', (text) => {
    expect(parseIsoDate(text)).toEqual({ ok: false, error: `'${text}' is not a date YYYY-MM-DD` });
  });
});
