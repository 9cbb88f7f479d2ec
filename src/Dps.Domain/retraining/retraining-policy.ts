import type { RetrainTrigger } from './retrain-trigger';

/** When an asked-for retrain may start. */
export interface RetrainPolicy {
  /** Minutes after a retrain started before an automatic trigger may start another. */
  cooldownMinutes: number;
  /** New rows since the champion's training needed before an automatic retrain. */
  minNewRows: number;
  /** While a rollout runs: wait for it (and check again after recheckMinutes) or drop the trigger. */
  whileRollout: 'wait' | 'skip';
  recheckMinutes: number;
}

/** What is true now, read by the caller from its stores. */
export interface RetrainContext {
  now: string;
  /** When the last retrain of this model started, if ever. */
  lastStartedAt?: string;
  newRows: number;
  retrainRunning: boolean;
  rolloutRunning: boolean;
}

/** The decision, always with a reason fit for the audit event; `retryAt` when waiting. */
export type RetrainDecision =
  | { action: 'start'; trigger: RetrainTrigger; reason: string }
  | { action: 'wait'; trigger: RetrainTrigger; reason: string; retryAt: string }
  | { action: 'skip'; trigger: RetrainTrigger; reason: string };

/** Conservative defaults: one automatic retrain a day at most, after 1,000 new rows, waiting out rollouts. */
export const DEFAULT_RETRAIN_POLICY: RetrainPolicy = { cooldownMinutes: 1440, minNewRows: 1000, whileRollout: 'wait', recheckMinutes: 15 };

const plus = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

/**
 * Decides whether a trigger starts a retrain. Checked in order: a retrain already running (skip), a
 * rollout running (wait or skip, per policy), then for automatic triggers the cool-down (drift and
 * performance wait for its end, since they persist; schedule and volume skip, since they fire again)
 * and the minimum of new rows (skip). A manual trigger passes the cool-down and the minimum.
 */
export function decideRetraining(trigger: RetrainTrigger, context: RetrainContext, policy: RetrainPolicy): RetrainDecision {
  if (context.retrainRunning) return { action: 'skip', trigger, reason: 'a retrain of this model is already running' };
  if (context.rolloutRunning) {
    return policy.whileRollout === 'wait'
      ? { action: 'wait', trigger, reason: 'a rollout is in progress; checking again later', retryAt: plus(context.now, policy.recheckMinutes) }
      : { action: 'skip', trigger, reason: 'a rollout is in progress and the policy skips triggers meanwhile' };
  }
  if (trigger.kind === 'manual') return { action: 'start', trigger, reason: `started by hand by ${trigger.by}` };
  if (context.lastStartedAt !== undefined) {
    const until = plus(context.lastStartedAt, policy.cooldownMinutes);
    if (Date.parse(context.now) < Date.parse(until)) {
      const reason = `in cool-down until ${until} (last retrain started ${context.lastStartedAt}, cool-down ${policy.cooldownMinutes} min)`;
      return trigger.kind === 'drift' || trigger.kind === 'performance' ? { action: 'wait', trigger, reason, retryAt: until } : { action: 'skip', trigger, reason };
    }
  }
  if (context.newRows < policy.minNewRows) {
    return { action: 'skip', trigger, reason: `only ${context.newRows} new rows since the champion's training, ${policy.minNewRows} needed` };
  }
  return { action: 'start', trigger, reason: describeTrigger(trigger) };
}

/** A trigger in one line, for audit events and decisions. */
export function describeTrigger(t: RetrainTrigger): string {
  switch (t.kind) {
    case 'drift':
      return `drift: ${(t.share * 100).toFixed(0)} % of features drifted in the window ending ${t.windowEnd}`;
    case 'schedule':
      return 'scheduled retrain';
    case 'performance':
      return `performance: online ${t.metric} ${t.value} past ${t.threshold} over ${t.labels} labels`;
    case 'volume':
      return `new data: ${t.newRows} rows since the champion's training (trigger at ${t.threshold})`;
    case 'manual':
      return `started by hand by ${t.by}`;
  }
}
