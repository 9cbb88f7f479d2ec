import * as df from 'durable-functions';
import type { AbTestPlan } from '../../Dps.Domain/rollout/ab-test';
import type { AliasEvidence } from '../../Dps.Domain/registry/model-version';
import { parseRolloutBody } from '../../Dps.Domain/rollout/rollout-body';
import type { AppDependencies } from '../app-dependencies';
import { findInstance } from '../shared/durable-status';
import { startOrchestration } from '../shared/durable-calls';
import { ROLLOUT, RolloutInput, rolloutInstanceId } from './rollout-run';
import { AB_TEST, AbTestInput } from './ab-test-run';

/** The answer to a start request: 202 with the instance, or a refusal naming the reason. */
export interface RolloutStart {
  status: 202 | 400 | 404 | 409;
  body: Record<string, unknown>;
}

const running = (status: df.OrchestrationRuntimeStatus): boolean =>
  [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending].includes(status);

/** A 409 while the model's rollout (or A/B test) instance runs: one at a time per model. */
async function alreadyRunning(deps: AppDependencies, client: df.DurableClient, model: string): Promise<RolloutStart | undefined> {
  const instanceId = rolloutInstanceId(model);
  const existing = await findInstance(client, instanceId);
  if (!existing || !running(existing.runtimeStatus)) return undefined;
  // The decision is recorded a moment before the instance returns: say so rather than "running".
  const record = await deps.serving().rollouts.get(model);
  const ended = record?.ab?.status ?? record?.state?.status;
  if (ended !== undefined && ended !== 'running') return { status: 409, body: { error: `the last rollout of '${model}' ended (${ended}) and its instance ${instanceId} is finishing; retry in a second`, instanceId } };
  return { status: 409, body: { error: `a rollout of '${model}' is already running (${instanceId}); approve, abort or wait for it`, instanceId } };
}

/**
 * Starts an A/B test over the plan's arms: every arm must be a registered version of the same task
 * (404 naming the arm otherwise); the arms answer under their aliases (champion, challenger) or `v{n}`.
 */
async function startAbTest(deps: AppDependencies, client: df.DurableClient, model: string, plan: AbTestPlan, aliases: AliasEvidence[], champion: number, who: string): Promise<RolloutStart> {
  const registry = deps.registry();
  const versions = await Promise.all(plan.arms.map((a) => registry.version(model, a.version)));
  const missing = versions.findIndex((v) => !v);
  if (missing >= 0) return { status: 404, body: { error: `arms[${missing}].version: no version ${plan.arms[missing].version} of model '${model}'`, field: `arms[${missing}].version` } };
  const task = versions[0]!.task;
  const other = versions.findIndex((v) => v!.task !== task);
  if (other >= 0) return { status: 400, body: { error: `arms[${other}].version: v${plan.arms[other].version} is a ${versions[other]!.task} model, the control v${plan.arms[0].version} a ${task} one`, field: `arms[${other}].version` } };
  const busy = await alreadyRunning(deps, client, model);
  if (busy) return busy;
  const instanceId = rolloutInstanceId(model);
  // A rejected or promoted challenger alias no longer names its version.
  const named = aliases.filter((a) => a.alias === 'champion' || (a.alias === 'challenger' && a.status === undefined));
  const input: AbTestInput = { model, task, champion, plan, aliases: Object.fromEntries(named.map((a) => [String(a.version), a.alias])), requestedBy: who, pollSeconds: deps.settings.rollout.pollSeconds };
  await startOrchestration(client, AB_TEST, instanceId, input);
  return { status: 202, body: { instanceId, model, mode: 'ab', champion, plan, statusUri: `/api/models/${model}/rollout` } };
}

/**
 * Starts `rollout-{model}` for a version (the body's, else the challenger alias) against the champion,
 * with the body's plan over the settings' defaults. One rollout at a time per model: 409 while one runs.
 */
export async function startModelRollout(deps: AppDependencies, client: df.DurableClient, model: string, body: unknown, who: string): Promise<RolloutStart> {
  const parsed = parseRolloutBody(body, deps.settings.rollout.plan);
  if (!parsed.ok) return { status: 400, body: { error: `${parsed.error.field}: ${parsed.error.message}`, field: parsed.error.field } };
  const registry = deps.registry();
  const aliases = await registry.aliasesOf(model);
  const champion = aliases.find((a) => a.alias === 'champion');
  if (!champion) return { status: 404, body: { error: `no model '${model}' (no version is registered as its champion)` } };
  if (parsed.value.kind === 'ab') return startAbTest(deps, client, model, parsed.value.plan, aliases, champion.version, who);
  const challengerAlias = aliases.find((a) => a.alias === 'challenger' && a.status === undefined);
  const version = parsed.value.request.version ?? challengerAlias?.version;
  if (version === undefined) return { status: 409, body: { error: `model '${model}' has no challenger to roll out; name one with {"version": N}` } };
  if (version === champion.version) return { status: 409, body: { error: `v${version} is already the champion of '${model}'` } };
  const registered = await registry.version(model, version);
  if (!registered) return { status: 404, body: { error: `no version ${version} of model '${model}'` } };
  const instanceId = rolloutInstanceId(model);
  const busy = await alreadyRunning(deps, client, model);
  if (busy) return busy;
  const input: RolloutInput = { model, task: registered.task, champion: champion.version, challenger: version, plan: parsed.value.request.plan, requestedBy: who, pollSeconds: deps.settings.rollout.pollSeconds };
  await startOrchestration(client, ROLLOUT, instanceId, input);
  return { status: 202, body: { instanceId, model, version, champion: champion.version, plan: input.plan, statusUri: `/api/models/${model}/rollout` } };
}
