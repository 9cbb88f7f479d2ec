import { Result, ok, err } from '../result';
import { checkTimeZone } from './zoned-time';

/** One `off=` or `on=` entry: on these weekdays (Monday = 0 … Sunday = 6) at this local hour. */
export interface ScheduleRule {
  kind: 'off' | 'on';
  days: number[];
  hour: number;
}

/** A parsed `dps-offhours` value. */
export interface OffHoursSchedule {
  rules: ScheduleRule[];
  timeZone: string;
}

/** The day letters in week order: H is Thursday, S Saturday, U Sunday. */
export const DAY_LETTERS = 'MTWHFSU';

function parseDays(text: string): Result<number[], string> {
  const days = new Set<number>();
  for (const item of text.split(',').map((s) => s.trim())) {
    const letters = item.split('-').map((s) => s.trim().toUpperCase());
    if (letters.length > 2 || letters.some((l) => l.length === 0)) {
      return err(`day '${item}' must be a letter (${DAY_LETTERS.split('').join(' ')}) or a range like M-F`);
    }
    const bad = letters.find((l) => l.length !== 1 || !DAY_LETTERS.includes(l));
    if (bad !== undefined) return err(`unknown day '${bad}' (use ${DAY_LETTERS.split('').join(' ')})`);
    const from = DAY_LETTERS.indexOf(letters[0]);
    const to = DAY_LETTERS.indexOf(letters[letters.length - 1]);
    // A range whose end comes before its start wraps over the weekend: F-M is F S U M.
    const span = (to - from + 7) % 7;
    for (let i = 0; i <= span; i++) days.add((from + i) % 7);
  }
  return ok([...days].sort((a, b) => a - b));
}

function parseHour(text: string): Result<number, string> {
  if (!/^\d{1,2}$/.test(text)) return err(`hour '${text}' must be a whole hour 0-23`);
  const hour = Number(text);
  return hour <= 23 ? ok(hour) : err(`hour ${hour} is out of range 0-23`);
}

function parseEntry(kind: 'off' | 'on', text: string): Result<ScheduleRule, string> {
  if (!text.startsWith('(')) return err(`${kind}: missing '(' in '${text}'; write ${kind}=(M-F,19)`);
  if (!text.endsWith(')')) return err(`${kind}: missing ')' in '${text}'; write ${kind}=(M-F,19)`);
  const items = text.slice(1, -1).split(',');
  if (items.length < 2) return err(`${kind}: '${text}' needs days and an hour, e.g. (M-F,19)`);
  const days = parseDays(items.slice(0, -1).join(','));
  if (!days.ok) return err(`${kind}: ${days.error}`);
  const hour = parseHour(items[items.length - 1].trim());
  if (!hour.ok) return err(`${kind}: ${hour.error}`);
  return ok({ kind, days: days.value, hour: hour.value });
}

// `off=(M-F,19)` or a list `off=[(M-F,19),(S,12)]`.
function parseEntries(kind: 'off' | 'on', text: string): Result<ScheduleRule[], string> {
  let body = text;
  if (body.startsWith('[') || body.endsWith(']')) {
    if (!body.startsWith('[') || !body.endsWith(']')) return err(`${kind}: unbalanced '[' ']' in '${text}'`);
    body = body.slice(1, -1).trim();
  }
  const pieces = body.split(/\)\s*,\s*\(/);
  const rules: ScheduleRule[] = [];
  for (let i = 0; i < pieces.length; i++) {
    // Splitting on '),(' ate the parentheses between entries; put them back before parsing each.
    const entry = `${i > 0 ? '(' : ''}${pieces[i].trim()}${i < pieces.length - 1 ? ')' : ''}`;
    const rule = parseEntry(kind, entry);
    if (!rule.ok) return rule;
    rules.push(rule.value);
  }
  return ok(rules);
}

function conflict(rules: ScheduleRule[]): string | undefined {
  const offs = new Set(rules.filter((r) => r.kind === 'off').flatMap((r) => r.days.map((d) => `${d}:${r.hour}`)));
  for (const rule of rules.filter((r) => r.kind === 'on')) {
    const day = rule.days.find((d) => offs.has(`${d}:${rule.hour}`));
    if (day !== undefined) return `off and on are both set for ${DAY_LETTERS[day]} at ${rule.hour}:00`;
  }
  return undefined;
}

/**
 * Parses a schedule such as `off=(M-F,19);on=(M-F,7);tz=Europe/Berlin`; a missing `tz` means
 * `fallbackZone`. The error names the term and the rule it broke.
 */
export function parseOffHoursSchedule(text: string, fallbackZone: string): Result<OffHoursSchedule, string> {
  const rules: ScheduleRule[] = [];
  const seen = new Set<string>();
  let zone = fallbackZone;
  for (const term of text.split(';').map((t) => t.trim()).filter((t) => t.length > 0)) {
    const eq = term.indexOf('=');
    if (eq < 0) return err(`term '${term}' must be key=value (keys: off, on, tz)`);
    const key = term.slice(0, eq).trim().toLowerCase();
    const value = term.slice(eq + 1).trim();
    if (key !== 'off' && key !== 'on' && key !== 'tz') return err(`unknown key '${term.slice(0, eq).trim()}' (keys: off, on, tz)`);
    if (seen.has(key)) return err(`key '${key}' is given twice; list several entries as ${key}=[(M-F,19),(S,12)]`);
    seen.add(key);
    if (key === 'tz') {
      zone = value;
      continue;
    }
    const entries = parseEntries(key, value);
    if (!entries.ok) return entries;
    rules.push(...entries.value);
  }
  if (rules.length === 0) return err(`'${text}' has neither off= nor on=`);
  const clash = conflict(rules);
  if (clash) return err(clash);
  const tz = checkTimeZone(zone);
  if (!tz.ok) return tz;
  return ok({ rules, timeZone: tz.value });
}
