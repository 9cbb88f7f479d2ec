import { Result, ok, err } from '../result';
import { parseIsoDate, parseIsoInstant } from '../iso-time';
import { formatDate } from './calendar';
import { OffHoursSchedule, parseOffHoursSchedule } from './offhours-schedule';

/** The tag names DPS reads and writes; Azure matches tag names case-insensitively and so does DPS. */
export const OFFHOURS_TAGS = {
  schedule: 'dps-offhours',
  skip: 'dps-offhours-skip',
  snoozeUntil: 'dps-snooze-until',
  sequence: 'dps-sequence',
  stoppedBy: 'dps-stopped-by',
  hourlyCost: 'dps-hourly-cost',
} as const;

/** The `dps-stopped-by` value DPS writes when it stops a resource. */
export const STOPPED_BY_OFFHOURS = 'offhours';

/** What one resource's tags ask of the off-hours policy. */
export type OffHoursPolicy =
  | { kind: 'unmanaged' }
  | { kind: 'opted-out' }
  | {
      kind: 'managed';
      schedule: OffHoursSchedule;
      /** Local dates (`YYYY-MM-DD` in the schedule's zone) on which nothing is done. */
      skipDates: string[];
      snoozeUntilMs?: number;
      sequence: number;
      stoppedByOffHours: boolean;
      hourlyCost?: number;
    };

/** Finds a tag by name ignoring case; the actual key is returned so changes can keep its spelling. */
export function findTag(tags: Record<string, string>, name: string): Result<{ key: string; value: string } | undefined, string> {
  const keys = Object.keys(tags).filter((k) => k.toLowerCase() === name);
  if (keys.length > 1) return err(`tag ${name} is given more than once (${keys.join(', ')})`);
  return ok(keys.length === 1 ? { key: keys[0], value: tags[keys[0]].trim() } : undefined);
}

function parseSkipDates(text: string): Result<string[], string> {
  const dates: string[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const date = parseIsoDate(item);
    if (!date.ok) return err(`${OFFHOURS_TAGS.skip}: ${date.error}`);
    dates.push(formatDate(date.value));
  }
  return ok(dates);
}

function parseSequence(text: string): Result<number, string> {
  const n = Number(text);
  return /^[+-]?\d+$/.test(text) && Number.isSafeInteger(n) ? ok(n) : err(`${OFFHOURS_TAGS.sequence}: '${text}' is not an integer`);
}

/** Reads a price per hour: a plain decimal number >= 0 such as `0.75`. */
export function parseHourlyCost(text: string): Result<number, string> {
  return /^\d+(\.\d+)?$/.test(text) ? ok(Number(text)) : err(`'${text}' is not a number >= 0`);
}

/**
 * Reads the off-hours tags of one resource. No `dps-offhours` tag means the resource is not managed,
 * `none` opts it out, an empty value means `defaultSchedule`. The error names the tag and the problem.
 */
export function parseOffHoursTags(tags: Record<string, string>, defaultSchedule: OffHoursSchedule): Result<OffHoursPolicy, string> {
  const values = new Map<string, string>();
  for (const name of Object.values(OFFHOURS_TAGS)) {
    const tag = findTag(tags, name);
    if (!tag.ok) return tag;
    if (tag.value) values.set(name, tag.value.value);
  }
  const value = (name: string) => values.get(name);

  const scheduleText = value(OFFHOURS_TAGS.schedule);
  if (scheduleText === undefined) return ok({ kind: 'unmanaged' });
  if (scheduleText.toLowerCase() === 'none') return ok({ kind: 'opted-out' });
  let schedule = defaultSchedule;
  if (scheduleText !== '') {
    const parsed = parseOffHoursSchedule(scheduleText, defaultSchedule.timeZone);
    if (!parsed.ok) return err(`${OFFHOURS_TAGS.schedule}: ${parsed.error}`);
    schedule = parsed.value;
  }

  const skipDates = parseSkipDates(value(OFFHOURS_TAGS.skip) ?? '');
  if (!skipDates.ok) return skipDates;
  const sequence = parseSequence(value(OFFHOURS_TAGS.sequence) ?? '0');
  if (!sequence.ok) return sequence;
  const snoozeText = value(OFFHOURS_TAGS.snoozeUntil);
  const snooze = snoozeText === undefined ? undefined : parseIsoInstant(snoozeText);
  if (snooze && !snooze.ok) return err(`${OFFHOURS_TAGS.snoozeUntil}: ${snooze.error}`);
  const costText = value(OFFHOURS_TAGS.hourlyCost);
  const cost = costText === undefined ? undefined : parseHourlyCost(costText);
  if (cost && !cost.ok) return err(`${OFFHOURS_TAGS.hourlyCost}: ${cost.error}`);

  return ok({
    kind: 'managed',
    schedule,
    skipDates: skipDates.value,
    snoozeUntilMs: snooze?.value,
    sequence: sequence.value,
    stoppedByOffHours: value(OFFHOURS_TAGS.stoppedBy)?.toLowerCase() === STOPPED_BY_OFFHOURS,
    hourlyCost: cost?.value,
  });
}

/** True when a resource opted in to the policy (a malformed, repeated tag counts: the plan reports it). */
export function hasOffHoursTag(tags: Record<string, string>): boolean {
  const tag = findTag(tags, OFFHOURS_TAGS.schedule);
  return !tag.ok || tag.value !== undefined;
}
