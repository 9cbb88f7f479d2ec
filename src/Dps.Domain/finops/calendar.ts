import { CivilDate, civilToUtcMs } from '../iso-time';

const DAY_MS = 86_400_000;

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(civilToUtcMs(date) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Day of the week with Monday = 0 … Sunday = 6, the order of the schedule letters M T W H F S U. */
export function weekdayIndex(date: CivilDate): number {
  return (new Date(civilToUtcMs(date)).getUTCDay() + 6) % 7;
}

/** `YYYY-MM-DD` of a date; the form skip-day tags use. */
export function formatDate(date: CivilDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
