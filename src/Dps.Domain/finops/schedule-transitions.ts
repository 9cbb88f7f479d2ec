import { addDays, formatDate, weekdayIndex } from './calendar';
import { OffHoursSchedule } from './offhours-schedule';
import { instantOfLocalHour, localDate } from './zoned-time';

/** One moment a schedule switches a resource off or on. */
export interface Transition {
  kind: 'off' | 'on';
  atMs: number;
  /** The local date (`YYYY-MM-DD`) and hour the rule names, which skip days are matched against. */
  localDate: string;
  hour: number;
}

/**
 * Every transition of `schedule` in the window (fromMs, toMs], in time order. When two fall on the
 * same instant (two hours collapsed by a spring-forward gap) the later scheduled hour comes last.
 */
export function transitionsBetween(schedule: OffHoursSchedule, fromMs: number, toMs: number): Transition[] {
  const zone = schedule.timeZone;
  const found: Transition[] = [];
  // A day either side of the window's local dates covers every offset the zone can have.
  const last = addDays(localDate(toMs, zone), 1);
  for (let date = addDays(localDate(fromMs, zone), -1); formatDate(date) <= formatDate(last); date = addDays(date, 1)) {
    const weekday = weekdayIndex(date);
    for (const rule of schedule.rules) {
      if (!rule.days.includes(weekday)) continue;
      const atMs = instantOfLocalHour(date, rule.hour, zone);
      if (atMs > fromMs && atMs <= toMs) found.push({ kind: rule.kind, atMs, localDate: formatDate(date), hour: rule.hour });
    }
  }
  return found.sort((a, b) => a.atMs - b.atMs || a.hour - b.hour);
}
