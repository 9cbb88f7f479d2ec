import type { Task } from '../ml/feature-pipeline';
import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';
import type { RoutingTable } from '../serving/traffic-router';
import type { VersionCounters } from './rollout-counters';
import type { PlanError } from './rollout-plan';
import { TestResult, twoProportionZTest, welchTTest } from './significance-tests';

/** A fixed split over two or more versions for a duration; the first arm is the control. */
export interface AbTestPlan {
  arms: Array<{ version: number; weight: number }>;
  durationSeconds: number;
  /** Significance level of each comparison with the control (Bonferroni-corrected over the comparisons). */
  alpha: number;
  /** Labelled rows an arm needs before its metric is compared. */
  minLabels: number;
  /** Promote a significantly better arm at the end; off by default (a person decides). */
  promoteWinner: boolean;
}

/** One arm's numbers and, for the others, its comparison with the control. */
export interface AbArmReport {
  version: number;
  requests: number;
  errorRate: number;
  labelled: number;
  metric: { name: 'accuracy' | 'mse'; value: number };
  /** Against the control; absent for the control itself or without enough labels. */
  comparison?: { test: 'two-proportion-z' | 'welch-t'; statistic: number; pValue: number; significant: boolean; better: boolean };
}

/** Where an A/B test stands after a look at its counters. */
export type AbVerdict =
  | { kind: 'running'; endsMs: number }
  | { kind: 'concluded'; winner?: number; promote: boolean; reason: string };

const FIELDS = ['mode', 'arms', 'durationSeconds', 'alpha', 'minLabels', 'promoteWinner'];

/** Reads `{"mode":"ab","arms":[{"version","weight"}, ...],"durationSeconds","alpha"?,"minLabels"?,"promoteWinner"?}`. */
export function parseAbTestRequest(body: unknown): Result<AbTestPlan, PlanError> {
  if (!isJsonObject(body)) return err({ field: 'body', message: 'must be a JSON object' });
  const unknown = Object.keys(body).find((k) => !FIELDS.includes(k));
  if (unknown !== undefined) return err({ field: unknown, message: `is not an A/B test field (known: ${FIELDS.join(', ')})` });
  if (body.mode !== 'ab') return err({ field: 'mode', message: "must be 'ab'" });
  const arms = body.arms;
  if (!Array.isArray(arms) || arms.length < 2) return err({ field: 'arms', message: 'must list two or more {"version","weight"}' });
  const out: AbTestPlan['arms'] = [];
  for (let i = 0; i < arms.length; i++) {
    const arm = arms[i];
    if (!isJsonObject(arm) || !Number.isInteger(arm.version) || (arm.version as number) < 1) return err({ field: `arms[${i}].version`, message: 'must be a version number' });
    if (typeof arm.weight !== 'number' || !(arm.weight > 0 && arm.weight <= 100)) return err({ field: `arms[${i}].weight`, message: 'must be a percentage above 0 and at most 100' });
    if (out.some((a) => a.version === arm.version)) return err({ field: `arms[${i}].version`, message: `v${arm.version} is already an arm` });
    out.push({ version: arm.version as number, weight: arm.weight });
  }
  const total = out.reduce((s, a) => s + a.weight, 0);
  if (Math.abs(total - 100) > 1e-9) return err({ field: 'arms', message: `weights add up to ${total}, not 100` });
  const duration = body.durationSeconds;
  if (!Number.isInteger(duration) || (duration as number) < 1 || (duration as number) > 90 * 86_400) return err({ field: 'durationSeconds', message: 'must be a whole number of seconds from 1 to 90 days' });
  const alpha = body.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 0.5)) return err({ field: 'alpha', message: 'must be a number between 0 and 0.5' });
  const minLabels = body.minLabels ?? 100;
  if (!Number.isInteger(minLabels) || (minLabels as number) < 2) return err({ field: 'minLabels', message: 'must be a whole number of at least 2' });
  const promoteWinner = body.promoteWinner ?? false;
  if (typeof promoteWinner !== 'boolean') return err({ field: 'promoteWinner', message: 'must be true or false' });
  return ok({ arms: out, durationSeconds: duration as number, alpha, minLabels: minLabels as number, promoteWinner });
}

/** The routing table of an A/B test; `aliasOf` names each version (champion, challenger, or `v3`). */
export function abRoutingTable(model: string, plan: AbTestPlan, aliasOf: (version: number) => string): RoutingTable {
  return { model, mode: 'ab', arms: plan.arms.map((a) => ({ alias: aliasOf(a.version), version: a.version, weight: a.weight })) };
}

function squaredErrors(c: VersionCounters): { n: number; mean: number; variance: number } {
  const n = c.online.labelled;
  const mean = n === 0 ? NaN : c.online.sumSquaredError / n;
  const variance = n < 2 ? NaN : Math.max(0, (c.online.sumSquaredErrorSquared - n * mean * mean) / (n - 1));
  return { n, mean, variance };
}

/**
 * Per-arm numbers, each arm tested against the control (the first): binary arms compare accuracy with a
 * two-proportion z-test, regression arms the mean squared error with Welch's t-test. A difference is
 * significant below alpha / (arms - 1), so more arms do not mean more false winners.
 */
export function analyzeAbTest(task: Task, plan: AbTestPlan, counters: VersionCounters[]): AbArmReport[] {
  const level = plan.alpha / Math.max(1, counters.length - 1);
  const control = counters[0];
  return counters.map((c, i) => {
    const report: AbArmReport = {
      version: plan.arms[i].version,
      requests: c.requests,
      errorRate: c.requests === 0 ? NaN : c.errors / c.requests,
      labelled: c.online.labelled,
      metric: task === 'binary' ? { name: 'accuracy', value: c.online.labelled === 0 ? NaN : c.online.correct / c.online.labelled } : { name: 'mse', value: squaredErrors(c).mean },
    };
    if (i === 0 || c.online.labelled < plan.minLabels || control.online.labelled < plan.minLabels) return report;
    let test: TestResult;
    let better: boolean;
    if (task === 'binary') {
      test = twoProportionZTest(c.online.correct, c.online.labelled, control.online.correct, control.online.labelled);
      better = test.statistic > 0;
    } else {
      test = welchTTest(squaredErrors(c), squaredErrors(control));
      better = test.statistic < 0;
    }
    report.comparison = { test: task === 'binary' ? 'two-proportion-z' : 'welch-t', statistic: test.statistic, pValue: test.pValue, significant: test.pValue < level, better };
    return report;
  });
}

/**
 * Until the duration has passed the test runs; then the winner is the significantly better arm with the
 * best metric (none when no arm beats the control), promoted only when the plan asks for it.
 */
export function abVerdict(plan: AbTestPlan, startedMs: number, nowMs: number, reports: AbArmReport[]): AbVerdict {
  const endsMs = startedMs + plan.durationSeconds * 1000;
  if (nowMs < endsMs) return { kind: 'running', endsMs };
  const winners = reports.filter((r) => r.comparison?.significant && r.comparison.better);
  if (winners.length === 0) return { kind: 'concluded', promote: false, reason: `no arm beat the control v${reports[0].version} significantly (alpha ${plan.alpha} over ${reports.length - 1} comparison(s))` };
  const sign = reports[0].metric.name === 'accuracy' ? -1 : 1;
  const best = [...winners].sort((a, b) => sign * (a.metric.value - b.metric.value))[0];
  const c = best.comparison!;
  const reason = `v${best.version} beats the control v${reports[0].version} on ${best.metric.name} (${best.metric.value.toFixed(4)} vs ${reports[0].metric.value.toFixed(4)}, ${c.test} p=${c.pValue.toPrecision(3)})`;
  return { kind: 'concluded', winner: best.version, promote: plan.promoteWinner, reason: plan.promoteWinner ? `${reason}; promoting it` : `${reason}; promotion is left to a person` };
}

/** The rollout GET answer for an A/B test: DESIGN.md's fields, one gate per compared arm (p-value against the corrected alpha), and the arm reports. */
export function abStatusBody(instanceId: string, plan: AbTestPlan, verdict: AbVerdict | { kind: 'aborted' }, reports: AbArmReport[], aliasOf: (version: number) => string) {
  const level = plan.alpha / Math.max(1, plan.arms.length - 1);
  const status = verdict.kind === 'running' ? 'running' : verdict.kind === 'aborted' ? 'aborted' : verdict.promote && verdict.winner !== undefined ? 'promoted' : 'completed';
  const winner = verdict.kind === 'concluded' ? verdict.winner : undefined;
  return {
    instanceId,
    status,
    version: winner ?? plan.arms[0].version,
    step: 1,
    weights: Object.fromEntries(plan.arms.map((a) => [aliasOf(a.version), verdict.kind === 'running' ? a.weight : 0])),
    gates: reports.flatMap((r) => (r.comparison ? [{ name: `v${r.version} ${r.metric.name} vs v${plan.arms[0].version}`, value: r.comparison.pValue, threshold: level, passed: r.comparison.significant && r.comparison.better }] : [])),
    mode: 'ab' as const,
    arms: reports,
    reason: verdict.kind === 'concluded' ? verdict.reason : verdict.kind === 'running' ? `running until ${new Date(verdict.endsMs).toISOString()}` : 'aborted',
  };
}
