import type { Result } from '../../Dps.Domain/result';

/** The flow window `[from, to)`, ISO instants. */
export interface FlowWindow {
  from: string;
  to: string;
}

const DAY_MS = 86_400_000;
/** The window `GET /api/flow` measures when none is asked for. */
export const DEFAULT_FLOW_DAYS = 30;
/** The longest window one request may ask for. */
export const MAX_FLOW_DAYS = 366;

function instant(name: string, raw: string | null): Result<number | undefined, string> {
  if (raw === null || raw === '') return { ok: true, value: undefined };
  const ms = Date.parse(raw);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(raw)
    ? { ok: false, error: `${name} must be an ISO 8601 date or instant (e.g. 2026-11-01 or 2026-11-01T00:00:00Z), got '${raw}'` }
    : { ok: true, value: ms };
}

/**
 * The window from `?from=&to=` (ISO instants) or `?days=` (ending at `to`, default now), `[from, to)`;
 * a malformed, reversed or over-long window is an error naming the parameter and the rule.
 */
export function flowWindow(query: URLSearchParams, nowMs: number): Result<FlowWindow, string> {
  const to = instant('to', query.get('to'));
  if (!to.ok) return to;
  const from = instant('from', query.get('from'));
  if (!from.ok) return from;
  const rawDays = query.get('days');
  const days = rawDays === null || rawDays === '' ? DEFAULT_FLOW_DAYS : Number(rawDays);
  if (!Number.isFinite(days) || days <= 0 || days > MAX_FLOW_DAYS) return { ok: false, error: `days must be a number of days in (0, ${MAX_FLOW_DAYS}], got '${rawDays}'` };
  const toMs = to.value ?? nowMs;
  const fromMs = from.value ?? toMs - days * DAY_MS;
  if (fromMs >= toMs) return { ok: false, error: `from (${new Date(fromMs).toISOString()}) must be before to (${new Date(toMs).toISOString()})` };
  if (toMs - fromMs > MAX_FLOW_DAYS * DAY_MS) return { ok: false, error: `the window from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()} is longer than ${MAX_FLOW_DAYS} days` };
  return { ok: true, value: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() } };
}

/** The week before `nowMs`, ending at the start of its UTC day: the PDCA report's window. */
export function previousWeek(nowMs: number): FlowWindow {
  const to = Math.floor(nowMs / DAY_MS) * DAY_MS;
  return { from: new Date(to - 7 * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}
