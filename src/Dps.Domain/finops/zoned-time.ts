import { Result, ok, err } from '../result';
import { CivilDate, civilToUtcMs } from '../iso-time';

const DAY_MS = 86_400_000;

// Building a DateTimeFormat is far slower than using one; zones repeat across resources.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Checks that `zone` is an IANA time zone this runtime knows. */
export function checkTimeZone(zone: string): Result<string, string> {
  try {
    formatter(zone);
    return ok(zone);
  } catch {
    return err(`unknown time zone '${zone}'`);
  }
}

/** The zone's wall-clock reading at an instant, as epoch milliseconds of that reading taken as UTC. */
export function wallClockMs(instantMs: number, zone: string): number {
  const parts = formatter(zone).formatToParts(instantMs);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const date = { year: field('year'), month: field('month'), day: field('day') };
  const subSecond = ((instantMs % 1000) + 1000) % 1000;
  return civilToUtcMs(date, field('hour'), field('minute'), field('second'), subSecond);
}

/** The calendar date in the zone at an instant. */
export function localDate(instantMs: number, zone: string): CivilDate {
  const d = new Date(wallClockMs(instantMs, zone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/**
 * The first instant at which the zone's clock reads `hour`:00 on `date`. An hour skipped by a
 * spring-forward change maps to the first instant after the gap; an hour repeated on fall-back maps
 * to its first occurrence, so a schedule fires once a day either way.
 */
export function instantOfLocalHour(date: CivilDate, hour: number, zone: string): number {
  const wanted = civilToUtcMs(date, hour);
  // The zone's offsets a day either side cover any change that can affect this wall time.
  const offsets = [-DAY_MS, 0, DAY_MS].map((d) => wallClockMs(wanted + d, zone) - (wanted + d));
  const exact = offsets.map((o) => wanted - o).filter((t) => wallClockMs(t, zone) === wanted);
  if (exact.length > 0) return Math.min(...exact);
  // The clock jumps over `wanted`: bisect for the first instant whose reading is at or after it.
  let lo = wanted - Math.max(...offsets);
  let hi = wanted - Math.min(...offsets);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClockMs(mid, zone) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}
