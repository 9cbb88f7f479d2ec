import { AbTestAction, AbTestState, abAliasEvidence, abTestRouting, abTestStatusBody } from '../../Dps.Domain/rollout/ab-test-state';
import type { ScoreSpec } from '../../Dps.Domain/rollout/rollout-counters';
import { plainJson } from '../../Dps.Domain/audit/canonical-json';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { RolloutsStore } from '../storage/rollouts-store';
import { counterWindow } from './rollout-run';

/** An A/B test's new state to persist, and the action that led there (`start` for the first). */
export interface AbTestRecordInput {
  run: string;
  state: AbTestState;
  spec: ScoreSpec;
  action: AbTestAction | { kind: 'start'; reason: string };
  who: string;
  /** False for a repeated wait, which refreshes the row without a new audit event. */
  audit: boolean;
}

const WHAT: Record<string, string> = {
  start: 'rollout.ab.started', wait: 'rollout.ab.waiting', awaitLabels: 'rollout.ab.awaitingLabels', conclude: 'rollout.ab.concluded',
  promote: 'rollout.ab.promoted', abort: 'rollout.ab.aborted',
};

export const RECORD_AB_TEST = activity<AbTestRecordInput, void>('abTestRecord', [auditOutput]);

/**
 * Persists an A/B test: the `rollouts` row serving routes by (the split and its counters window while
 * it runs, none after), the winner's promotion through the registry's evidence gate when the test
 * promotes, and one audit event per start, label wait, conclusion, promotion or abort with the arm
 * reports (counts, metrics, intervals, p-values) as evidence.
 */
export function recordAbTest(deps: AppDependencies): ActivityHandler<AbTestRecordInput, void> {
  const store = () => new RolloutsStore(() => deps.storage().table(deps.settings.tables.rollouts));
  return async ({ run, state, spec, action, who, audit }, context) => {
    const running = state.status === 'running';
    const at = new Date(state.updatedMs).toISOString();
    if (action.kind === 'promote') {
      const registry = deps.registry();
      const [champion, winner, aliases] = await Promise.all([registry.version(state.model, state.champion), registry.version(state.model, action.champion), registry.aliasesOf(state.model)]);
      if (!champion || !winner) throw new Error(`model '${state.model}': v${state.champion} or v${action.champion} is no longer registered`);
      const challenger = aliases.find((a) => a.alias === 'challenger')?.version;
      for (const e of abAliasEvidence(state, { champion: champion.metrics, winner: winner.metrics }, challenger, who, at)) await registry.moveAlias(e);
    }
    await store().put({ model: state.model, spec, ab: state, ...(running ? { routing: abTestRouting(state), window: counterWindow(run, 0) } : {}) });
    if (!audit) return;
    const body = abTestStatusBody(state);
    emitAudit(context, {
      id: `ab-${state.model}-${run}-${action.kind}-${state.updatedMs}`, when: at, who, what: WHAT[action.kind] ?? `rollout.ab.${action.kind}`,
      outcome: running ? state.phase : body.result ? `${state.status}: ${body.result}` : state.status,
      why: state.reason, instanceId: state.instanceId,
      subjects: { model: state.model, version: String(state.winner ?? state.plan.arms[0].version), champion: String(state.champion) },
      details: plainJson({ mode: 'ab', plan: state.plan, weights: body.weights, arms: state.reports, gates: body.gates, winner: state.winner ?? null, action }),
    });
  };
}
