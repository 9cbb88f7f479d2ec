import * as df from 'durable-functions';
import { parseRolloutBody } from '../../Dps.Domain/rollout/rollout-body';
import type { AppDependencies } from '../app-dependencies';
import { findInstance } from '../shared/durable-status';
import { startOrchestration } from '../shared/durable-calls';
import { ROLLOUT, RolloutInput, rolloutInstanceId } from './rollout-run';

/** The answer to a start request: 202 with the instance, or a refusal naming the reason. */
export interface RolloutStart {
  status: 202 | 400 | 404 | 409 | 501;
  body: Record<string, unknown>;
}

const running = (status: df.OrchestrationRuntimeStatus): boolean =>
  [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending].includes(status);

/**
 * Starts `rollout-{model}` for a version (the body's, else the challenger alias) against the champion,
 * with the body's plan over the settings' defaults. One rollout at a time per model: 409 while one runs.
 */
export async function startModelRollout(deps: AppDependencies, client: df.DurableClient, model: string, body: unknown, who: string): Promise<RolloutStart> {
  const parsed = parseRolloutBody(body, deps.settings.rollout.plan);
  if (!parsed.ok) return { status: 400, body: { error: `${parsed.error.field}: ${parsed.error.message}`, field: parsed.error.field } };
  if (parsed.value.kind === 'ab') return { status: 501, body: { error: 'A/B tests are planned (Domain analysis exists) but not yet run by the rollout orchestration; use mode canary or shadow' } };
  const registry = deps.registry();
  const aliases = await registry.aliasesOf(model);
  const champion = aliases.find((a) => a.alias === 'champion');
  if (!champion) return { status: 404, body: { error: `no model '${model}' (no version is registered as its champion)` } };
  const challengerAlias = aliases.find((a) => a.alias === 'challenger' && a.status === undefined);
  const version = parsed.value.request.version ?? challengerAlias?.version;
  if (version === undefined) return { status: 409, body: { error: `model '${model}' has no challenger to roll out; name one with {"version": N}` } };
  if (version === champion.version) return { status: 409, body: { error: `v${version} is already the champion of '${model}'` } };
  const registered = await registry.version(model, version);
  if (!registered) return { status: 404, body: { error: `no version ${version} of model '${model}'` } };
  if (registered.task === 'multiclass') return { status: 400, body: { error: `v${version} is a multiclass model; rollout gates judge binary and regression models` } };
  const instanceId = rolloutInstanceId(model);
  const existing = await findInstance(client, instanceId);
  if (existing && running(existing.runtimeStatus)) return { status: 409, body: { error: `a rollout of '${model}' is already running (${instanceId}); approve, abort or wait for it`, instanceId } };
  const input: RolloutInput = { model, task: registered.task, champion: champion.version, challenger: version, plan: parsed.value.request.plan, requestedBy: who, pollSeconds: deps.settings.rollout.pollSeconds };
  await startOrchestration(client, ROLLOUT, instanceId, input);
  return { status: 202, body: { instanceId, model, version, champion: champion.version, plan: input.plan, statusUri: `/api/models/${model}/rollout` } };
}
