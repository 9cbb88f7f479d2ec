import { OffHoursDecision } from './offhours-decision';
import { IdleInput, idleReason } from './idle-policy';
import { OffHoursPolicy, OFFHOURS_TAGS, STOPPED_BY_OFFHOURS, parseOffHoursTags } from './offhours-tags';
import { OffHoursSchedule } from './offhours-schedule';
import { SAVINGS_HORIZON_HOURS, estimateSavings } from './savings';
import { Transition, transitionsBetween } from './schedule-transitions';
import { formatDate } from './calendar';
import { localDate } from './zoned-time';

/** A resource as the inventory lists it. */
export interface OffHoursResource {
  id: string;
  type: string;
  state: 'running' | 'stopped';
  tags: Record<string, string>;
}

/** Everything about one evaluation that is the same for all resources. */
export interface EvaluationContext {
  fromMs: number;
  toMs: number;
  defaultSchedule: OffHoursSchedule;
  defaultHourlyCost: number;
  idle?: IdleInput;
}

type Managed = Extract<OffHoursPolicy, { kind: 'managed' }>;
type Pending = Omit<OffHoursDecision, 'wave'>;

const HOUR_MS = 3_600_000;
// How far back the snooze-expiry rule looks for the schedule's last transition.
const LOOKBACK_MS = 7 * 24 * HOUR_MS;

const iso = (ms: number) => new Date(ms).toISOString();
const isSnoozed = (policy: Managed, ctx: EvaluationContext) => policy.snoozeUntilMs !== undefined && ctx.toMs < policy.snoozeUntilMs;

function describe(t: Transition, zone: string): string {
  return `${t.kind} at ${t.localDate} ${String(t.hour).padStart(2, '0')}:00 ${zone}`;
}

const onSkipDay = (policy: Managed, t: Transition) => policy.skipDates.includes(t.localDate);

function applied(policy: Managed, fromMs: number, toMs: number): Transition[] {
  return transitionsBetween(policy.schedule, fromMs, toMs).filter((t) => !onSkipDay(policy, t));
}

function stop(resource: OffHoursResource, policy: Managed, ctx: EvaluationContext, reason: string): Pending {
  const nextOn = applied(policy, ctx.toMs, ctx.toMs + SAVINGS_HORIZON_HOURS * HOUR_MS).find((t) => t.kind === 'on');
  const estimatedSavings = estimateSavings(policy.hourlyCost ?? ctx.defaultHourlyCost, ctx.toMs, nextOn?.atMs);
  return { id: resource.id, type: resource.type, action: 'stop', reason, sequence: policy.sequence, estimatedSavings };
}

// The idle policy may stop a running resource the schedule leaves on (not when snoozed or on a skip day).
function idleStopOr(resource: OffHoursResource, policy: Managed, ctx: EvaluationContext, fallback: Pending): Pending {
  if (resource.state !== 'running' || isSnoozed(policy, ctx)) return fallback;
  const metrics = ctx.idle?.byResource[resource.id];
  const idle = metrics && ctx.idle && idleReason(metrics, ctx.idle.thresholds);
  return idle ? stop(resource, policy, ctx, idle) : fallback;
}

function decideManaged(resource: OffHoursResource, policy: Managed, ctx: EvaluationContext): Pending {
  const none = (reason: string): Pending => ({ id: resource.id, type: resource.type, action: 'none', reason, sequence: policy.sequence });
  const zone = policy.schedule.timeZone;
  const window = transitionsBetween(policy.schedule, ctx.fromMs, ctx.toMs);
  const last = window.filter((t) => !onSkipDay(policy, t)).at(-1);
  const snoozeUntil = policy.snoozeUntilMs;

  if (last?.kind === 'off') {
    const what = describe(last, zone);
    if (resource.state !== 'running') return none(`${what}: already stopped`);
    if (snoozeUntil !== undefined && isSnoozed(policy, ctx)) return none(`${what} not applied: snoozed until ${iso(snoozeUntil)}`);
    return stop(resource, policy, ctx, what);
  }
  if (last?.kind === 'on') {
    const what = describe(last, zone);
    if (resource.state !== 'stopped') return idleStopOr(resource, policy, ctx, none(`${what}: already running`));
    if (!policy.stoppedByOffHours) {
      return none(`${what} not applied: stopped, but not by DPS (no ${OFFHOURS_TAGS.stoppedBy}=${STOPPED_BY_OFFHOURS})`);
    }
    return { id: resource.id, type: resource.type, action: 'start', reason: what, sequence: policy.sequence };
  }
  const skipped = window.find((t) => onSkipDay(policy, t));
  if (skipped) return none(`${describe(skipped, zone)} not applied: ${skipped.localDate} is a skip day`);
  const today = formatDate(localDate(ctx.toMs, zone));
  if (policy.skipDates.includes(today)) return none(`${today} is a skip day`);
  // A snooze postpones a stop: when it ends while the schedule says off, the stop happens then.
  if (snoozeUntil !== undefined && snoozeUntil > ctx.fromMs && snoozeUntil <= ctx.toMs && resource.state === 'running') {
    const previous = applied(policy, ctx.toMs - LOOKBACK_MS, ctx.toMs).at(-1);
    if (previous?.kind === 'off') {
      return stop(resource, policy, ctx, `snooze ended at ${iso(snoozeUntil)}; schedule is off since ${describe(previous, zone)}`);
    }
  }
  return idleStopOr(resource, policy, ctx, none(`no off/on time between ${iso(ctx.fromMs)} and ${iso(ctx.toMs)}`));
}

/** Decides what to do with one resource in the window (fromMs, toMs]; never fails: bad tags give `skip`. */
export function decideResource(resource: OffHoursResource, ctx: EvaluationContext): Omit<OffHoursDecision, 'wave'> {
  const parsed = parseOffHoursTags(resource.tags, ctx.defaultSchedule);
  const base = { id: resource.id, type: resource.type, sequence: 0 };
  if (!parsed.ok) return { ...base, action: 'skip', reason: parsed.error };
  const policy = parsed.value;
  if (policy.kind === 'unmanaged') return { ...base, action: 'none', reason: `no ${OFFHOURS_TAGS.schedule} tag: not managed` };
  if (policy.kind === 'opted-out') return { ...base, action: 'none', reason: `opted out (${OFFHOURS_TAGS.schedule}=none)` };
  return decideManaged(resource, policy, ctx);
}
