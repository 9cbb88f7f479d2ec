import { describe, expect, it } from 'vitest';
import { parseBoolean, parseDate, parseInteger, parseNumber, parseTimestamp } from '../../../src/Dps.Domain/data/value-parsing';

describe('value parsing', () => {
  it('reads integers, including 3.0, and refuses the rest', () => {
    expect(['0', '-12', '+7', '3.0', '123456789012', '-0'].map(parseInteger)).toEqual([0, -12, 7, 3, 123456789012, -0]);
    expect(['', '-', '1.5', '1e3', '0x10', '9007199254740993', ' 1', '1,000'].map(parseInteger)).toEqual(new Array(8).fill(undefined));
  });

  it('reads finite decimal numbers only', () => {
    expect(['1.5', '-.5', '2e-3', '10.'].map(parseNumber)).toEqual([1.5, -0.5, 0.002, 10]);
    expect(['NaN', 'Infinity', '1e999', '', 'abc', '1.2.3'].map(parseNumber)).toEqual(new Array(6).fill(undefined));
  });

  it('reads boolean words', () => {
    expect(['true', 'FALSE', 'Yes', 'n', '1', '0', 't'].map(parseBoolean)).toEqual([true, false, true, false, true, false, true]);
    expect(parseBoolean('maybe')).toBeUndefined();
  });

  it('checks calendar dates', () => {
    expect(parseDate('2024-02-29')).toBe('2024-02-29');
    expect(['2023-02-29', '2024-13-01', '2024-1-01', '2024-01-01T00:00', '20240101'].map(parseDate)).toEqual(new Array(5).fill(undefined));
  });

  it('normalises timestamps to UTC ISO strings', () => {
    expect(parseTimestamp('2024-03-01T10:00:00+02:00')).toBe('2024-03-01T08:00:00.000Z');
    expect(parseTimestamp('2024-03-01 10:00')).toBe('2024-03-01T10:00:00.000Z');
    expect(parseTimestamp('2024-03-01T10:00:00.1234Z')).toBe('2024-03-01T10:00:00.123Z');
    expect(parseTimestamp('0099-01-01T00:00:00Z')).toBe('0099-01-01T00:00:00.000Z');
    expect(['2024-03-01T25:00:00Z', '2024-02-30T00:00Z', '2024-03-01'].map(parseTimestamp)).toEqual([undefined, undefined, undefined]);
  });
});
