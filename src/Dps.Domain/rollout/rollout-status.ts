import type { GateResult } from './rollout-gates';
import { RolloutPhase, RolloutState, RolloutStatusName, rolloutWeights } from './rollout-policy';

/** The body of `GET /api/models/{model}/rollout` (DESIGN.md's fields first, then added ones). */
export interface RolloutStatusBody {
  instanceId: string;
  status: RolloutStatusName;
  version: number;
  /** 1-based step number. */
  step: number;
  weights: Record<string, number>;
  gates: Array<Pick<GateResult, 'name' | 'value' | 'threshold' | 'passed'> & { hard: boolean; detail: string }>;
  model: string;
  champion: number;
  mode: string;
  steps: number[];
  phase: RolloutPhase;
  /** In shadow mode, the share of rows mirrored to the challenger. */
  mirrorPercent?: number;
  reason: string;
  stepStartedAt: string;
  updatedAt: string;
}

/** Shapes a rollout's state as the GET answer; non-finite gate values (no data) become null in JSON as usual. */
export function rolloutStatusBody(state: RolloutState): RolloutStatusBody {
  const body: RolloutStatusBody = {
    instanceId: state.instanceId,
    status: state.status,
    version: state.challenger,
    step: state.stepIndex + 1,
    weights: rolloutWeights(state),
    gates: state.gates.map((g) => ({ name: g.name, value: g.value, threshold: g.threshold, passed: g.passed, hard: g.hard, detail: g.detail })),
    model: state.model,
    champion: state.champion,
    mode: state.plan.mode,
    steps: state.plan.steps,
    phase: state.phase,
    reason: state.reason,
    stepStartedAt: new Date(state.stepStartedMs).toISOString(),
    updatedAt: new Date(state.updatedMs).toISOString(),
  };
  if (state.plan.mode === 'shadow' && state.status === 'running') body.mirrorPercent = state.plan.steps[state.stepIndex];
  return body;
}
