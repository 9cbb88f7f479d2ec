import { Result, ok, err } from '../result';
import { parseIsoInstant } from '../iso-time';
import { IdleInput, validateIdleInput } from './idle-policy';
import { OffHoursDecision } from './offhours-decision';
import { parseOffHoursSchedule } from './offhours-schedule';
import { OffHoursResource, decideResource } from './resource-decision';
import { orderInWaves } from './waves';

/** Settings that apply where a resource's tags say nothing. */
export interface OffHoursDefaults {
  /** The schedule for an empty `dps-offhours` tag; its `tz` (UTC when missing) also serves tags without one. */
  schedule: string;
  /** Price per hour for savings when a resource has no `dps-hourly-cost` tag; 0 when missing. */
  hourlyCost?: number;
}

/** One evaluation: the inventory, the evaluation time and the previous successful one. */
export interface OffHoursPlanInput {
  resources: OffHoursResource[];
  /** ISO timestamp of this evaluation. */
  at: string;
  /** ISO timestamp of the previous successful evaluation; one hour before `at` when missing. */
  since?: string;
  defaults: OffHoursDefaults;
  metrics?: IdleInput;
}

/** The decisions in execution order, with the window they were computed for. */
export interface OffHoursPlan {
  since: string;
  at: string;
  decisions: OffHoursDecision[];
}

/** The longest window evaluated at once: a longer gap would replay stale off/on times. */
export const MAX_WINDOW_HOURS = 168;

const HOUR_MS = 3_600_000;

function duplicateId(resources: OffHoursResource[]): string | undefined {
  const seen = new Set<string>();
  return resources.map((r) => r.id).find((id) => seen.has(id) || !seen.add(id));
}

/**
 * Decides, for every resource, the stop or start whose off/on time fell in (since, at]. Errors
 * (bad `at`/`since`, an empty or too long window, bad defaults or metrics, a repeated id) concern the
 * whole evaluation; problems with one resource's tags only give that resource the action `skip`.
 */
export function planOffHours(input: OffHoursPlanInput): Result<OffHoursPlan, string> {
  const at = parseIsoInstant(input.at);
  if (!at.ok) return err(`at: ${at.error}`);
  const since = input.since === undefined ? ok(at.value - HOUR_MS) : parseIsoInstant(input.since);
  if (!since.ok) return err(`since: ${since.error}`);
  if (since.value >= at.value) return err(`since (${input.since}) must be before at (${input.at})`);
  const hours = (at.value - since.value) / HOUR_MS;
  if (hours > MAX_WINDOW_HOURS) {
    return err(`the window from since to at is ${hours.toFixed(1)} h; at most ${MAX_WINDOW_HOURS} h (7 days) is evaluated, so pass a later since or leave it out for the last hour`);
  }
  const schedule = parseOffHoursSchedule(input.defaults.schedule, 'UTC');
  if (!schedule.ok) return err(`defaults.schedule: ${schedule.error}`);
  const hourlyCost = input.defaults.hourlyCost ?? 0;
  if (!Number.isFinite(hourlyCost) || hourlyCost < 0) return err(`defaults.hourlyCost must be a finite number >= 0, got ${hourlyCost}`);
  const metrics = input.metrics === undefined ? undefined : validateIdleInput(input.metrics);
  if (metrics && !metrics.ok) return metrics;
  const repeated = duplicateId(input.resources);
  if (repeated !== undefined) return err(`resources: id '${repeated}' appears more than once`);

  const ctx = { fromMs: since.value, toMs: at.value, defaultSchedule: schedule.value, defaultHourlyCost: hourlyCost, idle: metrics?.value };
  return ok({
    since: new Date(since.value).toISOString(),
    at: new Date(at.value).toISOString(),
    decisions: orderInWaves(input.resources.map((r) => decideResource(r, ctx))),
  });
}
