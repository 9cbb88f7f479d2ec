import { isJsonObject } from '../json-object';
import type { Result } from '../result';
import { AbTestPlan, parseAbTestRequest } from './ab-test';
import { DEFAULT_ROLLOUT_PLAN, PlanError, RolloutPlan, RolloutRequest, parseRolloutRequest } from './rollout-plan';

/** A `POST /rollout` body: a staged (canary or shadow) rollout, or an A/B test. */
export type RolloutBody = { kind: 'staged'; request: RolloutRequest } | { kind: 'ab'; plan: AbTestPlan };

/** Reads a `POST /rollout` body: `"mode":"ab"` is an A/B test, anything else a staged rollout over `defaults`. */
export function parseRolloutBody(body: unknown, defaults: RolloutPlan = DEFAULT_ROLLOUT_PLAN): Result<RolloutBody, PlanError> {
  if (isJsonObject(body) && body.mode === 'ab') {
    const plan = parseAbTestRequest(body);
    return plan.ok ? { ok: true, value: { kind: 'ab', plan: plan.value } } : plan;
  }
  const request = parseRolloutRequest(body, defaults);
  return request.ok ? { ok: true, value: { kind: 'staged', request: request.value } } : request;
}
