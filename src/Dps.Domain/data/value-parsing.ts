import type { ColumnType, TypedValue } from './contract-types';

// Parsers return undefined on failure: they run once per cell, so no allocation on the hot path.

const INTEGER = /^[+-]?\d+(?:\.0*)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;
const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

/** Whole numbers within the safe range; `3.0` counts (exports from float columns write it so). */
export function parseInteger(text: string): number | undefined {
  // Short plain digit strings (the common case) are read by character codes, without regex or Number().
  if (text.length > 0 && text.length < 10) {
    let value = 0;
    let i = text.charCodeAt(0) === 45 ? 1 : 0;
    for (; i < text.length; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
    }
    if (i === text.length && text.length > (text.charCodeAt(0) === 45 ? 1 : 0)) return text.charCodeAt(0) === 45 ? -value : value;
  }
  if (!INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

// Exact powers of ten: a decimal m / 10^k with m < 2^53 and k <= 22 is one correctly rounded division.
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/** Finite decimal numbers, with optional exponent; no NaN, Infinity, hex or thousands separators. */
export function parseNumber(text: string): number | undefined {
  // Plain decimals of at most 15 digits (the common case) are read by character codes: m / 10^k is
  // correctly rounded, as Number() is, so both give the same double. Anything else takes the regex.
  const n = text.length;
  if (n > 0 && n <= 17) {
    const first = text.charCodeAt(0);
    let i = first === 45 || first === 43 ? 1 : 0;
    let mantissa = 0;
    let digits = 0;
    let point = -1;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        digits++;
      } else if (c === 46 && point < 0) point = i;
      else break;
    }
    if (i === n && digits > 0 && digits <= 15) {
      const value = point < 0 ? mantissa : mantissa / POWERS_OF_TEN[n - 1 - point];
      return first === 45 ? -value : value;
    }
  }
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** true/false, t/f, yes/no, y/n, 1/0, any case. */
export function parseBoolean(text: string): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  const lower = text.toLowerCase();
  if (TRUE_WORDS.has(lower)) return true;
  if (FALSE_WORDS.has(lower)) return false;
  return undefined;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function digitsAt(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** A real calendar date `YYYY-MM-DD` (2024-02-30 fails); returned as written. */
export function parseDate(text: string): string | undefined {
  // Read by character codes: dates are common and a regex match allocates per cell.
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  return year >= 0 && isCalendarDate(year, month, day) ? text : undefined;
}

/** ISO 8601 date-time (T or space, optional seconds, fraction and offset; no offset means UTC) as a UTC ISO string. */
export function parseTimestamp(text: string): string | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [+m[1], +m[2], +m[3], +m[4], +m[5], +(m[6] ?? 0)];
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const offsetMinutes = m[9] ? (m[9] === '-' ? -1 : 1) * (+m[10] * 60 + +m[11]) : 0;
  const instant = new Date(0);
  // setUTCFullYear keeps years below 100 as written, unlike Date.UTC.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute - offsetMinutes, second, millis);
  return Number.isNaN(instant.getTime()) ? undefined : instant.toISOString();
}

/** Parses normalised cell text as `type`; undefined when the text is not a value of that type. */
export function parseTyped(type: ColumnType, text: string): TypedValue | undefined {
  switch (type) {
    case 'integer':
      return parseInteger(text);
    case 'number':
      return parseNumber(text);
    case 'boolean':
      return parseBoolean(text);
    case 'date':
      return parseDate(text);
    case 'timestamp':
      return parseTimestamp(text);
    case 'string':
    case 'category':
      return text;
  }
}

/** Human wording of what a type accepts, for error messages. */
export function describeType(type: ColumnType): string {
  switch (type) {
    case 'integer':
      return 'an integer';
    case 'number':
      return 'a finite number';
    case 'boolean':
      return 'a boolean (true/false, yes/no, 1/0)';
    case 'date':
      return 'a date YYYY-MM-DD';
    case 'timestamp':
      return 'an ISO 8601 timestamp';
    case 'string':
    case 'category':
      return 'text';
  }
}
