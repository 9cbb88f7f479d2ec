import { Result, ok, err } from './result';

/** A calendar date without a time or zone. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function isRealDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Epoch milliseconds of a wall-clock time read as UTC; unlike Date.UTC it keeps years below 100 as written. */
export function civilToUtcMs(date: CivilDate, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(date.year, date.month - 1, date.day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

/** Parses `YYYY-MM-DD`, rejecting dates that do not exist (2024-02-30). */
export function parseIsoDate(text: string): Result<CivilDate, string> {
  const m = ISO_DATE.exec(text);
  if (!m || !isRealDate(+m[1], +m[2], +m[3])) return err(`'${text}' is not a date YYYY-MM-DD`);
  return ok({ year: +m[1], month: +m[2], day: +m[3] });
}

/** Parses an ISO 8601 timestamp that carries its UTC offset (Z or ±HH:MM) into epoch milliseconds. */
export function parseIsoInstant(text: string): Result<number, string> {
  const m = ISO_INSTANT.exec(text);
  if (!m) return err(`'${text}' is not an ISO timestamp with a UTC offset, e.g. 2024-03-29T18:00:00Z`);
  const [, y, mo, d, h, mi, s = '0', frac = '', , sign, oh = '0', om = '0'] = m;
  if (!isRealDate(+y, +mo, +d) || +h > 23 || +mi > 59 || +s > 59 || +oh > 23 || +om > 59) {
    return err(`'${text}' is not a real date and time`);
  }
  const offsetMinutes = (sign === '-' ? -1 : 1) * (+oh * 60 + +om);
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  return ok(civilToUtcMs({ year: +y, month: +mo, day: +d }, +h, +mi, +s, ms) - offsetMinutes * 60_000);
}
