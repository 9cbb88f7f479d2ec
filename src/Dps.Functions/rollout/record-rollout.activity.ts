import type { ScoreSpec } from '../../Dps.Domain/rollout/rollout-counters';
import { RolloutAction, RolloutState, rolloutRoutingTable, rolloutWeights } from '../../Dps.Domain/rollout/rollout-policy';
import { plainJson } from '../../Dps.Domain/audit/canonical-json';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { RolloutsStore } from '../storage/rollouts-store';
import { applyRolloutAliases } from '../registry/rollout-aliases';
import { counterWindow } from './rollout-run';

/** A rollout's new state to persist, and the action that led there (`start` for the first step). */
export interface RolloutRecordInput {
  run: string;
  state: RolloutState;
  spec: ScoreSpec;
  action: RolloutAction | { kind: 'start'; reason: string };
  who: string;
  /** False for a repeated wait or hold, which updates the row without a new audit event. */
  audit: boolean;
}

const WHAT: Record<string, string> = {
  start: 'rollout.started', advance: 'rollout.step.advanced', hold: 'rollout.step.held', awaitApproval: 'rollout.approval.awaited',
  approved: 'rollout.approved', promote: 'rollout.promoted', rollback: 'rollout.rolledBack', abort: 'rollout.aborted', wait: 'rollout.step.waiting',
};

export const RECORD_ROLLOUT = activity<RolloutRecordInput, void>('rolloutRecord', [auditOutput]);

/**
 * Persists a rollout's step: the `rollouts` row serving routes by (routing table and counters window
 * while running, none after), the aliases on promotion or rollback (through the registry's evidence
 * gate), and one audit event per step, gate verdict and decision with the gates as evidence.
 */
export function recordRollout(deps: AppDependencies): ActivityHandler<RolloutRecordInput, void> {
  const store = () => new RolloutsStore(() => deps.storage().table(deps.settings.tables.rollouts));
  return async ({ run, state, spec, action, who, audit }, context) => {
    const running = state.status === 'running';
    const record = { model: state.model, spec, state, ...(running ? { routing: rolloutRoutingTable(state), window: counterWindow(run, state.stepIndex) } : {}) };
    const at = new Date(state.updatedMs).toISOString();
    if (action.kind === 'promote' || action.kind === 'rollback') await applyRolloutAliases(deps.registry(), state, who, at);
    await store().put(record);
    deps.metrics.recordRolloutWeights(rolloutWeights(state), { model: state.model, version: state.challenger });
    if (!audit) return;
    const outcome = action.kind === 'start' || action.kind === 'advance' ? `step ${state.stepIndex + 1} at ${state.plan.steps[state.stepIndex]}%` : state.status === 'running' ? state.phase : state.status;
    emitAudit(context, {
      id: `rollout-${state.model}-${run}-${action.kind}-${state.stepIndex}-${state.updatedMs}`, when: at, who, what: WHAT[action.kind] ?? `rollout.${action.kind}`, outcome,
      why: state.reason, instanceId: state.instanceId,
      subjects: { model: state.model, version: String(state.challenger), champion: String(state.champion) },
      details: plainJson({ step: state.stepIndex + 1, steps: state.plan.steps, weights: rolloutWeights(state), gates: state.gates, mode: state.plan.mode, action }),
    });
  };
}
