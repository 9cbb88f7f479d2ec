import type { Task } from '../ml/feature-pipeline';
import type { RoutingTable } from '../serving/traffic-router';
import type { VersionCounters } from './rollout-counters';
import { GateResult, evaluateGates } from './rollout-gates';
import type { RolloutPlan } from './rollout-plan';

/** Where a rollout stands, as DESIGN.md's rollout GET names it. */
export type RolloutStatusName = 'running' | 'promoted' | 'rolledBack' | 'aborted';

/** What a running rollout is doing: baking a step, holding it for labels, or waiting for approval. */
export type RolloutPhase = 'baking' | 'holding' | 'awaitingApproval' | 'finished';

/** The whole state of one rollout: plain data an orchestration keeps between events. */
export interface RolloutState {
  instanceId: string;
  model: string;
  task: Task;
  plan: RolloutPlan;
  champion: number;
  challenger: number;
  status: RolloutStatusName;
  phase: RolloutPhase;
  stepIndex: number;
  stepStartedMs: number;
  /** Since when the step has been held by soft gates, waiting for labels. */
  holdStartedMs?: number;
  approved: boolean;
  /** The last gate verdicts (of the current step, or the one that ended the rollout). */
  gates: GateResult[];
  /** Why the rollout is where it is, in one line. */
  reason: string;
  updatedMs: number;
}

/** What happens to a rollout: its step window's counters arrive, or someone approves or aborts. */
export type RolloutEvent =
  | { type: 'evaluate'; nowMs: number; champion: VersionCounters; challenger: VersionCounters }
  | { type: 'approve'; nowMs: number; who: string }
  | { type: 'abort'; nowMs: number; who: string; reason?: string };

/** What the caller must do after an event (and record as an audit event with the state's gates as evidence). */
export type RolloutAction =
  | { kind: 'wait'; reason: string; untilMs?: number }
  | { kind: 'hold'; reason: string; requestFeedback: true; deadlineMs: number }
  | { kind: 'advance'; fromStep: number; toStep: number; weights: Record<string, number> }
  | { kind: 'awaitApproval'; reason: string }
  | { kind: 'approved'; who: string }
  | { kind: 'promote'; champion: number; previous: number; reason: string }
  | { kind: 'rollback'; gate: string; reason: string }
  | { kind: 'abort'; who: string; reason: string }
  | { kind: 'ignored'; reason: string };

/** A new rollout of `challenger` against `champion`, at its first step. */
export function startRollout(input: { instanceId: string; model: string; task: Task; champion: number; challenger: number; plan: RolloutPlan; nowMs: number }): RolloutState {
  return {
    instanceId: input.instanceId, model: input.model, task: input.task, plan: input.plan, champion: input.champion, challenger: input.challenger,
    status: 'running', phase: 'baking', stepIndex: 0, stepStartedMs: input.nowMs, approved: false, gates: [],
    reason: `v${input.challenger} ${input.plan.mode === 'shadow' ? 'mirrored' : 'canary'} at ${input.plan.steps[0]}% against champion v${input.champion}`,
    updatedMs: input.nowMs,
  };
}

/** Traffic percent per alias: the challenger's step share in a running canary, else all on the champion. */
export function rolloutWeights(state: RolloutState): Record<string, number> {
  const share = state.status === 'running' && state.plan.mode === 'canary' ? state.plan.steps[state.stepIndex] : 0;
  if (state.status === 'promoted') return { champion: 100, challenger: 0 };
  return { champion: 100 - share, challenger: share };
}

/** The routing table serving should use for this rollout (challenger first, so canary entities stay on it as weights grow). */
export function rolloutRoutingTable(state: RolloutState): RoutingTable {
  const weights = rolloutWeights(state);
  if (state.status === 'promoted') return { model: state.model, mode: 'canary', arms: [{ alias: 'champion', version: state.challenger, weight: 100 }] };
  if (state.plan.mode === 'shadow' && state.status === 'running') {
    return { model: state.model, mode: 'shadow', arms: [{ alias: 'champion', version: state.champion, weight: 100 }], mirror: { alias: 'challenger', version: state.challenger, mirrorPercent: state.plan.steps[state.stepIndex] } };
  }
  return { model: state.model, mode: 'canary', arms: [{ alias: 'challenger', version: state.challenger, weight: weights.challenger }, { alias: 'champion', version: state.champion, weight: weights.champion }] };
}

const seconds = (ms: number): string => `${Math.floor(ms / 1000)} s`;

function promote(state: RolloutState, nowMs: number, why: string): { state: RolloutState; action: RolloutAction } {
  const reason = `v${state.challenger} promoted to champion, v${state.champion} becomes previous: ${why}`;
  return { state: { ...state, status: 'promoted', phase: 'finished', reason, updatedMs: nowMs }, action: { kind: 'promote', champion: state.challenger, previous: state.champion, reason } };
}

function rollback(state: RolloutState, gates: GateResult[], failed: GateResult, nowMs: number, why: string): { state: RolloutState; action: RolloutAction } {
  const reason = `v${state.challenger} rolled back at step ${state.stepIndex + 1} (${state.plan.steps[state.stepIndex]}%): gate ${failed.name} failed, ${why}`;
  return { state: { ...state, status: 'rolledBack', phase: 'finished', gates, reason, holdStartedMs: undefined, updatedMs: nowMs }, action: { kind: 'rollback', gate: failed.name, reason } };
}

function evaluate(state: RolloutState, event: Extract<RolloutEvent, { type: 'evaluate' }>): { state: RolloutState; action: RolloutAction } {
  const { plan } = state;
  const nowMs = event.nowMs;
  if (state.phase === 'awaitingApproval') return { state, action: { kind: 'wait', reason: 'waiting for approval' } };
  const bakedUntil = state.stepStartedMs + plan.bakeSeconds * 1000;
  const samples = Math.min(event.champion.requests, event.challenger.requests);
  if (nowMs < bakedUntil || samples < plan.minSamples) {
    const reason = `step ${state.stepIndex + 1} (${plan.steps[state.stepIndex]}%): baked ${seconds(Math.max(0, nowMs - state.stepStartedMs))} of ${plan.bakeSeconds} s, ${samples} of ${plan.minSamples} samples on each side`;
    return { state: { ...state, reason, updatedMs: nowMs }, action: nowMs < bakedUntil ? { kind: 'wait', reason, untilMs: bakedUntil } : { kind: 'wait', reason } };
  }
  const verdict = evaluateGates(state.task, event.champion, event.challenger, plan.thresholds, plan.minSamples);
  const gates = verdict.gates;
  if (verdict.hardFailures.length > 0) {
    const failed = verdict.hardFailures[0];
    return rollback(state, gates, failed, nowMs, `${failed.detail}; value ${failed.value} against threshold ${failed.threshold}`);
  }
  // Shift or disagreement alone is expected of a model retrained on drifted data: labels decide.
  if (verdict.softFailures.length > 0 && !verdict.onlineJudged) {
    const held = state.holdStartedMs ?? nowMs;
    const deadlineMs = held + plan.thresholds.feedbackWaitSeconds * 1000;
    const failed = verdict.softFailures[0];
    if (nowMs >= deadlineMs && state.holdStartedMs !== undefined) {
      return rollback(state, gates, failed, nowMs, `${failed.detail}, and fewer than ${plan.thresholds.minLabels} labels per version arrived within ${plan.thresholds.feedbackWaitSeconds} s to show it is as good`);
    }
    const reason = `step ${state.stepIndex + 1} held: ${verdict.softFailures.map((g) => g.detail).join('; ')}; send feedback labels (${plan.thresholds.minLabels} per version needed) by ${new Date(deadlineMs).toISOString()}`;
    return { state: { ...state, phase: 'holding', holdStartedMs: held, gates, reason, updatedMs: nowMs }, action: { kind: 'hold', reason, requestFeedback: true, deadlineMs } };
  }
  const passed = `every gate passed at step ${state.stepIndex + 1} (${plan.steps[state.stepIndex]}%)`;
  if (state.stepIndex + 1 < plan.steps.length) {
    const next: RolloutState = { ...state, phase: 'baking', stepIndex: state.stepIndex + 1, stepStartedMs: nowMs, holdStartedMs: undefined, gates, reason: `${passed}; now at ${plan.steps[state.stepIndex + 1]}%`, updatedMs: nowMs };
    return { state: next, action: { kind: 'advance', fromStep: state.stepIndex + 1, toStep: state.stepIndex + 2, weights: rolloutWeights(next) } };
  }
  const done: RolloutState = { ...state, gates, holdStartedMs: undefined };
  if (plan.approval === 'manual' && !state.approved) {
    const reason = `${passed}, the last step; waiting for approval to promote`;
    return { state: { ...done, phase: 'awaitingApproval', reason, updatedMs: nowMs }, action: { kind: 'awaitApproval', reason } };
  }
  return promote(done, nowMs, `${passed}, the last step${plan.approval === 'manual' ? ' (approved)' : ''}`);
}

/**
 * Moves a rollout on by one event. A step is judged once it has baked `bakeSeconds` and has
 * `minSamples` rows on each side: a failed hard gate rolls back naming it and its numbers; failed
 * soft gates without enough labels hold the step (asking for feedback) until `feedbackWaitSeconds`,
 * then roll back; otherwise the next step, and after the last one promotion (or approval first).
 */
export function advanceRollout(state: RolloutState, event: RolloutEvent): { state: RolloutState; action: RolloutAction } {
  if (state.status !== 'running') return { state, action: { kind: 'ignored', reason: `the rollout already ended: ${state.status}` } };
  if (event.type === 'abort') {
    const reason = `aborted by ${event.who} at step ${state.stepIndex + 1} (${state.plan.steps[state.stepIndex]}%)${event.reason ? `: ${event.reason}` : ''}`;
    return { state: { ...state, status: 'aborted', phase: 'finished', reason, updatedMs: event.nowMs }, action: { kind: 'abort', who: event.who, reason } };
  }
  if (event.type === 'approve') {
    if (state.phase === 'awaitingApproval') return promote({ ...state, approved: true }, event.nowMs, `approved by ${event.who}`);
    return { state: { ...state, approved: true, updatedMs: event.nowMs }, action: { kind: 'approved', who: event.who } };
  }
  return evaluate(state, event);
}
