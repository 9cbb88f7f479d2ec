import { psi } from '../drift/psi';
import type { Task } from '../ml/feature-pipeline';
import type { GateThresholds } from './gate-thresholds';
import { VersionCounters, errorRate, onlineMetric, p95LatencyMs } from './rollout-counters';

/** Gate names as they appear in the rollout status. */
export type GateName = 'errorRate' | 'latencyP95' | 'predictionShift' | 'agreement' | 'onlineAuc' | 'onlineAccuracy' | 'onlineRmse';

/** One gate's verdict, shaped as DESIGN.md's rollout GET (`hard` and `detail` added). */
export interface GateResult {
  name: GateName;
  value: number;
  threshold: number;
  passed: boolean;
  /** Hard gates roll back on failure; soft ones (shift, agreement) hold the step for labels. */
  hard: boolean;
  /** The numbers behind the value, for the audit trail and the rollback reason. */
  detail: string;
}

/** What the gates say about one step window. */
export interface GateEvaluation {
  gates: GateResult[];
  hardFailures: GateResult[];
  softFailures: GateResult[];
  /** Whether enough labels arrived on both sides to judge the online metric. */
  onlineJudged: boolean;
}

const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
const num = (x: number): string => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function gate(name: GateName, value: number, threshold: number, passed: boolean, hard: boolean, detail: string): GateResult {
  return { name, value, threshold, passed, hard, detail };
}

function onlineGate(task: Task, champion: VersionCounters, challenger: VersionCounters, t: GateThresholds): GateResult | undefined {
  if (champion.online.labelled < t.minLabels || challenger.online.labelled < t.minLabels) return undefined;
  const labels = `${challenger.online.labelled} and ${champion.online.labelled} labels`;
  if (task === 'regression') {
    const a = onlineMetric(challenger, task).value;
    const b = onlineMetric(champion, task).value;
    const ratio = b === 0 ? (a === 0 ? 1 : Infinity) : a / b;
    return gate('onlineRmse', ratio, t.maxRmseRatio, ratio <= t.maxRmseRatio, true, `challenger RMSE ${num(a)} vs champion ${num(b)} (ratio ${num(ratio)}, ${labels})`);
  }
  const mine = onlineMetric(challenger, task);
  const theirs = onlineMetric(champion, task);
  // Compare like with like: AUC needs both classes on both sides, otherwise accuracy.
  const useAuc = mine.name === 'auc' && theirs.name === 'auc';
  const a = useAuc ? mine.value : challenger.online.correct / challenger.online.labelled;
  const b = useAuc ? theirs.value : champion.online.correct / champion.online.labelled;
  const change = a - b;
  const name = useAuc ? 'AUC' : 'accuracy';
  return gate(useAuc ? 'onlineAuc' : 'onlineAccuracy', change, -t.maxMetricDrop, change >= -t.maxMetricDrop, true, `challenger ${name} ${num(a)} vs champion ${num(b)} (change ${num(change)}, ${labels})`);
}

/**
 * Judges a challenger against the champion on the same window: error rate, p95 latency and (with
 * enough labels) the online metric are hard gates; prediction shift (PSI) and agreement on mirrored
 * rows are soft. Agreement is judged only once `minSamples` rows were compared.
 */
export function evaluateGates(task: Task, champion: VersionCounters, challenger: VersionCounters, t: GateThresholds, minSamples: number): GateEvaluation {
  const gates: GateResult[] = [];
  const ours = errorRate(challenger);
  const theirs = errorRate(champion);
  const rise = ours - theirs;
  gates.push(gate('errorRate', rise, t.maxErrorRateIncrease, rise <= t.maxErrorRateIncrease, true, `challenger ${pct(ours)} errors (${challenger.errors}/${challenger.requests}) vs champion ${pct(theirs)} (${champion.errors}/${champion.requests})`));
  const p95 = p95LatencyMs(challenger);
  const championP95 = p95LatencyMs(champion);
  const ratio = championP95 > 0 ? p95 / championP95 : p95 > 0 ? Infinity : 1;
  gates.push(gate('latencyP95', ratio, t.maxLatencyRatio, ratio <= t.maxLatencyRatio || p95 - championP95 <= t.latencySlackMs, true, `challenger p95 ${p95.toFixed(2)} ms vs champion ${championP95.toFixed(2)} ms (ratio ${num(ratio)}; differences under ${t.latencySlackMs} ms pass)`));
  const shift = psi(champion.predictions, challenger.predictions);
  if (shift !== null) gates.push(gate('predictionShift', shift, t.maxPredictionPsi, shift <= t.maxPredictionPsi, false, `PSI ${num(shift)} between the champion's and the challenger's predictions`));
  if (challenger.compared >= minSamples && challenger.compared > 0) {
    const share = challenger.agreed / challenger.compared;
    gates.push(gate('agreement', share, t.minAgreement, share >= t.minAgreement, false, `${challenger.agreed} of ${challenger.compared} mirrored rows agree (${pct(share)})`));
  }
  const online = onlineGate(task, champion, challenger, t);
  if (online) gates.push(online);
  return {
    gates,
    hardFailures: gates.filter((g) => g.hard && !g.passed),
    softFailures: gates.filter((g) => !g.hard && !g.passed),
    onlineJudged: online !== undefined,
  };
}
