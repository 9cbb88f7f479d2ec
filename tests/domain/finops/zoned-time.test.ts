import { describe, expect, it } from 'vitest';
import { instantOfLocalHour, localDate } from '../../../src/Dps.Domain/finops/zoned-time';

// Expected instants are written from the published offsets: Berlin CET +01:00 / CEST +02:00
// (2024 changes: 31 Mar 01:00Z, 27 Oct 01:00Z); New York EST -05:00 / EDT -04:00 (10 Mar 07:00Z, 3 Nov 06:00Z).
const at = (iso: string) => Date.parse(iso);
const day = (year: number, month: number, d: number) => ({ year, month, day: d });

describe('instantOfLocalHour', () => {
  it('converts ordinary hours with the offset of the day', () => {
    expect(instantOfLocalHour(day(2024, 3, 29), 19, 'Europe/Berlin')).toBe(at('2024-03-29T18:00:00Z'));
    expect(instantOfLocalHour(day(2024, 4, 1), 7, 'Europe/Berlin')).toBe(at('2024-04-01T05:00:00Z'));
    expect(instantOfLocalHour(day(2024, 3, 8), 19, 'America/New_York')).toBe(at('2024-03-09T00:00:00Z'));
  });

  it('maps an hour skipped by spring-forward to the first instant after the gap', () => {
    expect(instantOfLocalHour(day(2024, 3, 31), 2, 'Europe/Berlin')).toBe(at('2024-03-31T01:00:00Z'));
    expect(instantOfLocalHour(day(2024, 3, 10), 2, 'America/New_York')).toBe(at('2024-03-10T07:00:00Z'));
  });

  it('maps an hour repeated on fall-back to its first occurrence', () => {
    expect(instantOfLocalHour(day(2024, 10, 27), 2, 'Europe/Berlin')).toBe(at('2024-10-27T00:00:00Z'));
    expect(instantOfLocalHour(day(2024, 11, 3), 1, 'America/New_York')).toBe(at('2024-11-03T05:00:00Z'));
  });

  it('keeps the hours next to a change on the right side of it', () => {
    expect(instantOfLocalHour(day(2024, 3, 31), 3, 'Europe/Berlin')).toBe(at('2024-03-31T01:00:00Z'));
    expect(instantOfLocalHour(day(2024, 10, 27), 3, 'Europe/Berlin')).toBe(at('2024-10-27T02:00:00Z'));
    expect(instantOfLocalHour(day(2024, 11, 3), 2, 'America/New_York')).toBe(at('2024-11-03T07:00:00Z'));
  });
});

describe('localDate', () => {
  it('gives the date in the zone, not in UTC', () => {
    expect(localDate(at('2024-12-23T23:30:00Z'), 'Europe/Berlin')).toEqual(day(2024, 12, 24));
    expect(localDate(at('2024-12-24T03:00:00Z'), 'America/New_York')).toEqual(day(2024, 12, 23));
  });
});
