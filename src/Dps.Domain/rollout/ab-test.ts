import type { Task } from '../ml/feature-pipeline';
import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';
import type { RoutingTable } from '../serving/traffic-router';
import type { VersionCounters } from './rollout-counters';
import type { PlanError } from './rollout-plan';
import { SampleSummary, TestResult, meanDifferenceInterval, proportionDifferenceInterval, twoProportionZTest, welchTTest } from './significance-tests';

/** A fixed split over two or more versions for a duration; the first arm is the control. */
export interface AbTestPlan {
  arms: Array<{ version: number; weight: number }>;
  durationSeconds: number;
  /** Scored rows each arm needs before the test may conclude. */
  minSamples: number;
  /** Labelled rows each arm needs before its metric is compared. */
  minLabels: number;
  /** After the duration, how long the split keeps running while arms lack samples or labels. */
  labelWaitSeconds: number;
  /** Significance level of each comparison with the control (Bonferroni-corrected over the comparisons). */
  alpha: number;
  /** `auto` promotes a significant winner at the end; `manual` (the default) leaves it to a person. */
  promote: 'manual' | 'auto';
}

/** One metric of an arm against the control: the difference (arm minus control) with its interval and test. */
export interface AbComparison {
  metric: 'accuracy' | 'mse' | 'errorRate';
  test: 'two-proportion-z' | 'welch-t';
  difference: number;
  /** The (1 - corrected alpha) confidence interval of the difference. */
  interval: [number, number];
  statistic: number;
  pValue: number;
  significant: boolean;
  /** Whether the arm is better than the control on this metric (higher accuracy, lower error or MSE). */
  better: boolean;
}

/** One arm's numbers and, for the others, their comparisons with the control. */
export interface AbArmReport {
  version: number;
  weight: number;
  requests: number;
  errorRate: number;
  labelled: number;
  metric: { name: 'accuracy' | 'mse'; value: number };
  /** Against the control, per metric; empty for the control itself. */
  comparisons: AbComparison[];
  /** Why the online metric was not compared (too few labels), when it was not. */
  note?: string;
}

/** Where an A/B test stands after a look at its counters. */
export type AbVerdict =
  | { kind: 'running'; endsMs: number }
  | { kind: 'waiting'; untilMs: number; reason: string }
  | { kind: 'concluded'; winner?: number; promote: boolean; reason: string };

const FIELDS = ['mode', 'arms', 'durationSeconds', 'minSamples', 'minLabels', 'labelWaitSeconds', 'alpha', 'promote'];

function whole(body: Record<string, unknown>, field: string, fallback: number, min: number, max: number): number | PlanError {
  const v = body[field] ?? fallback;
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : { field, message: `must be a whole number from ${min} to ${max}` };
}

/**
 * Reads `{"mode":"ab","arms":[{"version","weight"}, ...],"durationSeconds","minSamples"?,"minLabels"?,
 * "labelWaitSeconds"?,"alpha"?,"promote"?}`; every refusal names the field and the rule.
 */
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
    if (!isJsonObject(arm)) return err({ field: `arms[${i}]`, message: 'must be an object {"version","weight"}' });
    const extra = Object.keys(arm).find((k) => k !== 'version' && k !== 'weight');
    if (extra !== undefined) return err({ field: `arms[${i}].${extra}`, message: 'is not an arm field (known: version, weight)' });
    if (!Number.isInteger(arm.version) || (arm.version as number) < 1) return err({ field: `arms[${i}].version`, message: 'must be a version number (a whole number from 1)' });
    if (typeof arm.weight !== 'number' || !(arm.weight > 0 && arm.weight <= 100)) return err({ field: `arms[${i}].weight`, message: 'must be a percentage above 0 and at most 100' });
    if (out.some((a) => a.version === arm.version)) return err({ field: `arms[${i}].version`, message: `v${arm.version} is already an arm` });
    out.push({ version: arm.version as number, weight: arm.weight });
  }
  const total = out.reduce((s, a) => s + a.weight, 0);
  if (Math.abs(total - 100) > 1e-9) return err({ field: 'arms', message: `weights add up to ${total}, not 100` });
  if (body.durationSeconds === undefined) return err({ field: 'durationSeconds', message: 'is required: how long the split runs, in seconds' });
  const numbers = {
    durationSeconds: whole(body, 'durationSeconds', 0, 1, 90 * 86_400),
    minSamples: whole(body, 'minSamples', 100, 1, 10_000_000),
    minLabels: whole(body, 'minLabels', 100, 2, 10_000_000),
    labelWaitSeconds: whole(body, 'labelWaitSeconds', 3600, 0, 30 * 86_400),
  };
  for (const value of Object.values(numbers)) if (typeof value !== 'number') return err(value);
  const alpha = body.alpha ?? 0.05;
  if (typeof alpha !== 'number' || !(alpha > 0 && alpha < 0.5)) return err({ field: 'alpha', message: 'must be a number above 0 and below 0.5' });
  const promote = body.promote ?? 'manual';
  if (promote !== 'manual' && promote !== 'auto') return err({ field: 'promote', message: "must be 'manual' or 'auto'" });
  const n = numbers as Record<keyof typeof numbers, number>;
  return ok({ arms: out, durationSeconds: n.durationSeconds, minSamples: n.minSamples, minLabels: n.minLabels, labelWaitSeconds: n.labelWaitSeconds, alpha, promote });
}

/** The routing table of an A/B test; `aliasOf` names each version (champion, challenger, or `v3`). */
export function abRoutingTable(model: string, plan: AbTestPlan, aliasOf: (version: number) => string): RoutingTable {
  return { model, mode: 'ab', arms: plan.arms.map((a) => ({ alias: aliasOf(a.version), version: a.version, weight: a.weight })) };
}

function squaredErrors(c: VersionCounters): SampleSummary {
  const n = c.online.labelled;
  const mean = n === 0 ? NaN : c.online.sumSquaredError / n;
  const variance = n < 2 ? NaN : Math.max(0, (c.online.sumSquaredErrorSquared - n * mean * mean) / (n - 1));
  return { n, mean, variance };
}

function compared(metric: AbComparison['metric'], test: AbComparison['test'], difference: number, interval: [number, number], result: TestResult, level: number, higherIsBetter: boolean): AbComparison {
  // A test without a statistic (no variance on either side) shows no difference.
  const significant = Number.isFinite(result.pValue) && result.pValue < level;
  return { metric, test, difference, interval, statistic: result.statistic, pValue: result.pValue, significant, better: higherIsBetter ? difference > 0 : difference < 0 };
}

/** The error rate of an arm against the control's: a two-proportion z-test. */
function errorComparison(arm: VersionCounters, control: VersionCounters, level: number): AbComparison {
  const test = twoProportionZTest(arm.errors, arm.requests, control.errors, control.requests);
  const difference = arm.errors / arm.requests - control.errors / control.requests;
  return compared('errorRate', 'two-proportion-z', difference, proportionDifferenceInterval(arm.errors, arm.requests, control.errors, control.requests, level), test, level, false);
}

/** The online metric against the control's: accuracy (classification) by a z-test, MSE (regression) by Welch's t-test. */
function metricComparison(task: Task, arm: VersionCounters, control: VersionCounters, level: number): AbComparison {
  if (task === 'regression') {
    const a = squaredErrors(arm);
    const b = squaredErrors(control);
    return compared('mse', 'welch-t', a.mean - b.mean, meanDifferenceInterval(a, b, level), welchTTest(a, b), level, false);
  }
  const { correct: ca, labelled: na } = arm.online;
  const { correct: cb, labelled: nb } = control.online;
  return compared('accuracy', 'two-proportion-z', ca / na - cb / nb, proportionDifferenceInterval(ca, na, cb, nb, level), twoProportionZTest(ca, na, cb, nb), level, true);
}

/** The corrected significance level of each comparison. */
export function abLevel(plan: AbTestPlan): number {
  return plan.alpha / Math.max(1, plan.arms.length - 1);
}

/**
 * Per-arm numbers, each arm tested against the control (the first) on its error rate and its online
 * metric (accuracy for classification, mean squared error for regression), with the interval of each
 * difference. Comparisons are significant below alpha / (arms - 1), so more arms do not mean more
 * false winners; the metric is compared once both sides have `minLabels` labels.
 */
export function analyzeAbTest(task: Task, plan: AbTestPlan, counters: VersionCounters[]): AbArmReport[] {
  const level = abLevel(plan);
  const control = counters[0];
  return counters.map((c, i) => {
    const report: AbArmReport = {
      version: plan.arms[i].version,
      weight: plan.arms[i].weight,
      requests: c.requests,
      errorRate: c.requests === 0 ? NaN : c.errors / c.requests,
      labelled: c.online.labelled,
      metric: task === 'regression' ? { name: 'mse', value: squaredErrors(c).mean } : { name: 'accuracy', value: c.online.labelled === 0 ? NaN : c.online.correct / c.online.labelled },
      comparisons: [],
    };
    if (i === 0) return report;
    if (c.requests > 0 && control.requests > 0) report.comparisons.push(errorComparison(c, control, level));
    if (c.online.labelled >= plan.minLabels && control.online.labelled >= plan.minLabels) report.comparisons.push(metricComparison(task, c, control, level));
    else report.note = `${report.metric.name} not compared: v${report.version} has ${c.online.labelled} and control v${plan.arms[0].version} ${control.online.labelled} labels, ${plan.minLabels} each needed`;
    return report;
  });
}

const metricOf = (r: AbArmReport): AbComparison | undefined => r.comparisons.find((c) => c.metric !== 'errorRate');
const errorsOf = (r: AbArmReport): AbComparison | undefined => r.comparisons.find((c) => c.metric === 'errorRate');

/** Arms significantly better than the control on the online metric and not significantly worse on errors. */
function winners(reports: AbArmReport[]): AbArmReport[] {
  return reports.slice(1).filter((r) => {
    const metric = metricOf(r);
    const errors = errorsOf(r);
    return metric?.significant && metric.better && !(errors?.significant && !errors.better);
  });
}

/**
 * Until the duration has passed the test runs; then, while an arm lacks `minSamples` rows or
 * `minLabels` labels, it waits up to `labelWaitSeconds` more. It concludes with the significantly
 * better arm with the best metric as winner (none when no arm beats the control: "no significant
 * difference"), promoted only with `promote: auto`.
 */
export function abVerdict(plan: AbTestPlan, startedMs: number, nowMs: number, reports: AbArmReport[]): AbVerdict {
  const endsMs = startedMs + plan.durationSeconds * 1000;
  if (nowMs < endsMs) return { kind: 'running', endsMs };
  const short = reports.filter((r) => r.requests < plan.minSamples || r.labelled < plan.minLabels);
  const untilMs = endsMs + plan.labelWaitSeconds * 1000;
  const shortage = short.map((r) => `v${r.version} ${r.requests}/${plan.minSamples} rows, ${r.labelled}/${plan.minLabels} labels`).join('; ');
  if (short.length > 0 && nowMs < untilMs) {
    return { kind: 'waiting', untilMs, reason: `the split ran its ${plan.durationSeconds} s; waiting until ${new Date(untilMs).toISOString()} for samples and labels: ${shortage}` };
  }
  const control = reports[0];
  const found = winners(reports);
  const level = abLevel(plan);
  if (found.length === 0) {
    const why = short.length > 0 ? `; too few samples or labels by the deadline: ${shortage}` : '';
    return { kind: 'concluded', promote: false, reason: `no significant difference: no arm beat the control v${control.version} on ${control.metric.name} (corrected alpha ${level.toPrecision(3)})${why}` };
  }
  const sign = control.metric.name === 'accuracy' ? -1 : 1;
  const best = [...found].sort((a, b) => sign * (a.metric.value - b.metric.value))[0];
  const c = metricOf(best)!;
  const reason = `v${best.version} beats the control v${control.version} on ${best.metric.name} (${best.metric.value.toFixed(4)} vs ${control.metric.value.toFixed(4)}, difference ${c.difference.toFixed(4)} in [${c.interval[0].toFixed(4)}, ${c.interval[1].toFixed(4)}], ${c.test} p=${c.pValue.toPrecision(3)} < ${level.toPrecision(3)})`;
  const promote = plan.promote === 'auto';
  return { kind: 'concluded', winner: best.version, promote, reason: promote ? `${reason}; promoting it` : `${reason}; promotion is left to a person (promote: manual)` };
}
