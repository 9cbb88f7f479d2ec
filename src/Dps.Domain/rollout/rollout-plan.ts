import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';
import { DEFAULT_GATE_THRESHOLDS, GateThresholds, overrideThresholds } from './gate-thresholds';

/** `canary` moves live traffic by step; `shadow` keeps the champion answering and mirrors each step's share to the challenger. */
export type RolloutMode = 'canary' | 'shadow';

/** How a challenger is rolled out. */
export interface RolloutPlan {
  mode: RolloutMode;
  /** Challenger traffic (canary) or mirrored share (shadow) per step, in percent, increasing. */
  steps: number[];
  /** Least time each step runs before its gates are judged. */
  bakeSeconds: number;
  /** Least rows each of champion and challenger must have in a step's window before it is judged. */
  minSamples: number;
  /** `manual` waits for approve before promoting after the last step. */
  approval: 'auto' | 'manual';
  thresholds: GateThresholds;
}

/** A rollout as asked for: the plan, and the version to roll out when the caller names one (else the challenger). */
export interface RolloutRequest {
  version?: number;
  plan: RolloutPlan;
}

/** A request field that breaks a rule. */
export interface PlanError {
  field: string;
  message: string;
}

/** Steps 5 -> 25 -> 50 -> 100 %, five minutes each, 200 rows a side, automatic promotion. */
export const DEFAULT_ROLLOUT_PLAN: RolloutPlan = {
  mode: 'canary',
  steps: [5, 25, 50, 100],
  bakeSeconds: 300,
  minSamples: 200,
  approval: 'auto',
  thresholds: DEFAULT_GATE_THRESHOLDS,
};

/** Longest bake time a step may ask for (a week). */
export const MAX_BAKE_SECONDS = 7 * 86_400;

const FIELDS = ['version', 'mode', 'steps', 'bakeSeconds', 'minSamples', 'approval', 'thresholds'];

function checkSteps(steps: unknown, mode: RolloutMode): PlanError | undefined {
  if (!Array.isArray(steps) || steps.length === 0) return { field: 'steps', message: 'must be a non-empty array of percentages, e.g. [5,25,50,100]' };
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0 || s > 100) return { field: `steps[${i}]`, message: 'must be a percentage above 0 and at most 100' };
    if (i > 0 && s <= steps[i - 1]) return { field: `steps[${i}]`, message: `must be larger than the step before it (${steps[i - 1]})` };
  }
  // A canary promotes what has carried all traffic; a shadow may stop mirroring below 100 %.
  if (mode === 'canary' && steps[steps.length - 1] !== 100) return { field: 'steps', message: 'a canary must end at 100' };
  return undefined;
}

function wholeNumber(body: Record<string, unknown>, field: string, min: number, max: number): PlanError | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? undefined : { field, message: `must be a whole number from ${min} to ${max}` };
}

/**
 * Reads the optional body of `POST /rollout` (`{"version","mode","steps","bakeSeconds","minSamples",
 * "approval","thresholds"}`) over `defaults` (the settings); every refusal names its field.
 */
export function parseRolloutRequest(body: unknown, defaults: RolloutPlan = DEFAULT_ROLLOUT_PLAN): Result<RolloutRequest, PlanError> {
  if (body === undefined || body === null) return ok({ plan: defaults });
  if (!isJsonObject(body)) return err({ field: 'body', message: 'must be a JSON object' });
  const unknown = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) return err({ field: unknown, message: `is not a rollout field (known: ${FIELDS.join(', ')}); A/B tests take their own body` });
  const mode = body.mode ?? defaults.mode;
  if (mode !== 'canary' && mode !== 'shadow') return err({ field: 'mode', message: "must be 'canary' or 'shadow'" });
  const steps = body.steps ?? defaults.steps;
  const stepProblem = checkSteps(steps, mode);
  if (stepProblem) return err(stepProblem);
  const problem = wholeNumber(body, 'version', 1, Number.MAX_SAFE_INTEGER) ?? wholeNumber(body, 'bakeSeconds', 0, MAX_BAKE_SECONDS) ?? wholeNumber(body, 'minSamples', 1, 10_000_000);
  if (problem) return err(problem);
  const approval = body.approval ?? defaults.approval;
  if (approval !== 'auto' && approval !== 'manual') return err({ field: 'approval', message: "must be 'auto' or 'manual'" });
  const thresholds = overrideThresholds(defaults.thresholds, body.thresholds);
  if (!thresholds.ok) return thresholds;
  const plan: RolloutPlan = {
    mode,
    steps: [...(steps as number[])],
    bakeSeconds: (body.bakeSeconds as number | undefined) ?? defaults.bakeSeconds,
    minSamples: (body.minSamples as number | undefined) ?? defaults.minSamples,
    approval,
    thresholds: thresholds.value,
  };
  return ok(body.version === undefined ? { plan } : { version: body.version as number, plan });
}
