/** A parsed six-field NCRONTAB expression: second minute hour day month day-of-week. */
export interface CronSchedule {
  expression: string;
  fields: Set<number>[];
}

const RANGES: [number, number][] = [[0, 59], [0, 59], [0, 23], [1, 31], [1, 12], [0, 6]];
const NAMES = ['second', 'minute', 'hour', 'day', 'month', 'day-of-week'];
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function parseValue(text: string, field: number): number {
  const upper = text.toUpperCase();
  if (field === 4 && MONTHS.includes(upper)) return MONTHS.indexOf(upper) + 1;
  if (field === 5 && DAYS.includes(upper)) return DAYS.indexOf(upper);
  if (!/^\d+$/.test(text)) throw new Error(`'${text}' is not a number`);
  const value = Number(text);
  return field === 5 && value === 7 ? 0 : value;
}

function parseField(text: string, field: number): Set<number> {
  const [min, max] = RANGES[field];
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`bad step '${stepText}' in ${NAMES[field]} field`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [min, max];
    else if (range.includes('-')) [lo, hi] = range.split('-').map((v) => parseValue(v, field)) as [number, number];
    else {
      lo = parseValue(range, field);
      hi = stepText === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`${NAMES[field]} value '${range}' is outside ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a six-field NCRONTAB expression; throws an error naming the bad field. */
export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`NCRONTAB '${expression}' must have six fields (second minute hour day month day-of-week), found ${parts.length}`);
  try {
    return { expression, fields: parts.map((p, i) => parseField(p, i)) };
  } catch (error) {
    throw new Error(`NCRONTAB '${expression}': ${(error as Error).message}`);
  }
}

/** The first occurrence strictly after `after`, in UTC (the host's default WEBSITE_TIME_ZONE). */
export function nextOccurrence(schedule: CronSchedule, after: Date): Date {
  const [sec, min, hour, day, month, dow] = schedule.fields;
  const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
  const limit = after.getTime() + 5 * 366 * 24 * 3600 * 1000;
  while (t.getTime() < limit) {
    if (!month.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0);
      continue;
    }
    if (!day.has(t.getUTCDate()) || !dow.has(t.getUTCDay())) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0);
      continue;
    }
    if (!hour.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0);
      continue;
    }
    if (!min.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
      continue;
    }
    if (!sec.has(t.getUTCSeconds())) {
      t.setUTCSeconds(t.getUTCSeconds() + 1);
      continue;
    }
    return t;
  }
  throw new Error(`NCRONTAB '${schedule.expression}' has no occurrence within five years`);
}
