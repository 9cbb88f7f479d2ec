import type { Task } from '../ml/feature-pipeline';
import type { AliasEvidence, ModelMetrics } from '../registry/model-version';
import type { RoutingTable } from '../serving/traffic-router';
import { AbArmReport, AbTestPlan, abLevel, abRoutingTable, abVerdict, analyzeAbTest } from './ab-test';
import type { VersionCounters } from './rollout-counters';

/** Where an A/B test stands: `completed` ended without promotion (a status only A/B tests have). */
export type AbTestStatus = 'running' | 'completed' | 'promoted' | 'aborted';

/** The whole state of one A/B test: plain data the orchestration keeps between looks. */
export interface AbTestState {
  kind: 'ab';
  instanceId: string;
  model: string;
  task: Task;
  plan: AbTestPlan;
  /** The champion when the test started (the fallback for a failing arm, and what a promotion replaces). */
  champion: number;
  /** The alias each arm answers under: champion, challenger, else `v{n}`. */
  aliases: Record<string, string>;
  status: AbTestStatus;
  phase: 'running' | 'waitingForLabels' | 'finished';
  startedMs: number;
  updatedMs: number;
  reports: AbArmReport[];
  winner?: number;
  reason: string;
}

/** What happens to an A/B test: its arms' counters arrive (in the plan's arm order), or someone aborts it. */
export type AbTestEvent =
  | { type: 'evaluate'; nowMs: number; counters: VersionCounters[] }
  | { type: 'abort'; nowMs: number; who: string; reason?: string };

/** What the caller must do (and audit, with the arm reports as evidence). */
export type AbTestAction =
  | { kind: 'wait'; untilMs: number }
  | { kind: 'awaitLabels'; untilMs: number; reason: string }
  | { kind: 'conclude'; winner?: number; reason: string }
  | { kind: 'promote'; champion: number; previous: number; reason: string }
  | { kind: 'abort'; who: string; reason: string }
  | { kind: 'ignored'; reason: string };

/** A new A/B test over the plan's arms; `aliases` names the versions that have one (champion, challenger). */
export function startAbTest(input: { instanceId: string; model: string; task: Task; plan: AbTestPlan; champion: number; aliases: Record<string, string>; nowMs: number }): AbTestState {
  const aliases = Object.fromEntries(input.plan.arms.map((a) => [String(a.version), input.aliases[String(a.version)] ?? `v${a.version}`]));
  const split = input.plan.arms.map((a) => `v${a.version} ${a.weight}%`).join(', ');
  return {
    kind: 'ab', instanceId: input.instanceId, model: input.model, task: input.task, plan: input.plan, champion: input.champion, aliases,
    status: 'running', phase: 'running', startedMs: input.nowMs, updatedMs: input.nowMs, reports: [],
    reason: `A/B test ${split} for ${input.plan.durationSeconds} s, control v${input.plan.arms[0].version}`,
  };
}

/** The routing table serving uses while the test runs. */
export function abTestRouting(state: AbTestState): RoutingTable {
  return abRoutingTable(state.model, state.plan, (v) => state.aliases[String(v)] ?? `v${v}`);
}

/**
 * Moves an A/B test on by one event: a look at the counters runs the analysis and the verdict (running
 * for the duration, then waiting for samples and labels, then concluded); an abort ends it with the
 * champion untouched. A concluded winner is promoted only with `promote: auto`, and only when it is
 * not the champion already.
 */
export function advanceAbTest(state: AbTestState, event: AbTestEvent): { state: AbTestState; action: AbTestAction } {
  if (state.status !== 'running') return { state, action: { kind: 'ignored', reason: `the A/B test already ended: ${state.status}` } };
  if (event.type === 'abort') {
    const reason = `A/B test aborted by ${event.who}${event.reason ? `: ${event.reason}` : ''}; the champion v${state.champion} serves all traffic`;
    return { state: { ...state, status: 'aborted', phase: 'finished', reason, updatedMs: event.nowMs }, action: { kind: 'abort', who: event.who, reason } };
  }
  const reports = analyzeAbTest(state.task, state.plan, event.counters);
  const verdict = abVerdict(state.plan, state.startedMs, event.nowMs, reports);
  const next = { ...state, reports, updatedMs: event.nowMs };
  if (verdict.kind === 'running') {
    const served = reports.map((r) => `v${r.version} ${r.requests} rows, ${r.labelled} labels`).join('; ');
    return { state: { ...next, reason: `running until ${new Date(verdict.endsMs).toISOString()}: ${served}` }, action: { kind: 'wait', untilMs: verdict.endsMs } };
  }
  if (verdict.kind === 'waiting') return { state: { ...next, phase: 'waitingForLabels', reason: verdict.reason }, action: { kind: 'awaitLabels', untilMs: verdict.untilMs, reason: verdict.reason } };
  const finished: AbTestState = { ...next, phase: 'finished', reason: verdict.reason, ...(verdict.winner !== undefined ? { winner: verdict.winner } : {}) };
  if (verdict.promote && verdict.winner !== undefined && verdict.winner !== state.champion) {
    return { state: { ...finished, status: 'promoted' }, action: { kind: 'promote', champion: verdict.winner, previous: state.champion, reason: verdict.reason } };
  }
  const reason = verdict.promote && verdict.winner === state.champion ? `${verdict.reason}; v${state.champion} is already the champion` : verdict.reason;
  return { state: { ...finished, status: 'completed', reason }, action: verdict.winner !== undefined ? { kind: 'conclude', winner: verdict.winner, reason } : { kind: 'conclude', reason } };
}

/**
 * The alias moves of a promoted winner, for the registry's evidence gate: the winner becomes champion,
 * the old champion `previous`; the challenger alias is marked promoted when it named the winner.
 */
export function abAliasEvidence(state: AbTestState, metrics: { champion: ModelMetrics; winner: ModelMetrics }, challengerAlias: number | undefined, who: string, at: string): AliasEvidence[] {
  if (state.status !== 'promoted' || state.winner === undefined) return [];
  const { model, winner, champion } = state;
  const evidence: AliasEvidence[] = [
    { model, alias: 'champion', version: winner, metrics: metrics.winner, who, at, why: `v${winner} becomes champion after its A/B test: ${state.reason}` },
    { model, alias: 'previous', version: champion, metrics: metrics.champion, who, at, why: `v${champion} was champion until v${winner} won the A/B test` },
  ];
  if (challengerAlias === winner) evidence.push({ model, alias: 'challenger', version: winner, metrics: metrics.winner, status: 'promoted', who, at, why: `v${winner} promoted to champion by its A/B test` });
  return evidence;
}

/** A number for a sentence; a stored state's missing values (NaN, null after JSON) read `n/a`. */
const fixed = (x: number | null, digits: number): string => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/**
 * The rollout GET answer of an A/B test: DESIGN.md's fields (`version` is the winner, else the
 * control; one gate per compared metric and arm, its p-value against the corrected alpha), then the
 * arm reports with their intervals, the winner and the reason.
 */
export function abTestStatusBody(state: AbTestState) {
  const level = abLevel(state.plan);
  const running = state.status === 'running';
  const aliasOf = (v: number): string => state.aliases[String(v)] ?? `v${v}`;
  const weights: Record<string, number> = Object.fromEntries(state.plan.arms.map((a) => [aliasOf(a.version), running ? a.weight : 0]));
  if (!running) weights[state.status === 'promoted' ? aliasOf(state.winner!) : aliasOf(state.champion)] = 100;
  return {
    instanceId: state.instanceId,
    status: state.status,
    version: state.winner ?? state.plan.arms[0].version,
    step: 1,
    weights,
    gates: state.reports.flatMap((r) => r.comparisons.map((c) => ({
      name: `v${r.version} ${c.metric} vs v${state.plan.arms[0].version}`, value: c.pValue, threshold: level, passed: c.significant && c.better,
      hard: false, detail: `difference ${fixed(c.difference, 4)} in [${fixed(c.interval[0], 4)}, ${fixed(c.interval[1], 4)}] (${c.test}, statistic ${fixed(c.statistic, 3)})`,
    }))),
    model: state.model,
    champion: state.champion,
    mode: 'ab' as const,
    phase: state.phase,
    arms: state.reports.length > 0 ? state.reports : state.plan.arms.map((a) => ({ version: a.version, weight: a.weight })),
    aliases: state.aliases,
    plan: state.plan,
    ...(state.winner !== undefined ? { winner: state.winner } : {}),
    result: state.status === 'running' ? undefined : state.winner !== undefined ? `v${state.winner} wins` : 'no significant difference',
    reason: state.reason,
    startedAt: new Date(state.startedMs).toISOString(),
    endsAt: new Date(state.startedMs + state.plan.durationSeconds * 1000).toISOString(),
    updatedAt: new Date(state.updatedMs).toISOString(),
  };
}
