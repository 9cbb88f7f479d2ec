import { Result, ok, err } from '../result';
import { FirstPassYield, QuarantineShare, firstPassYield, quarantineShare } from './batch-quality';
import { DurationSummary, summarizeDurations } from './duration-summary';
import { CheckedFlowInput, checkFlowInput, TimedRollout } from './flow-input-check';
import type { FlowInput } from './flow-records';
import type { FlowTimeline } from './flow-timeline';
import { Takt, Throughput, WorkInProgress, runInProgress, taktTime, throughput, workInProgress } from './line-rates';
import { RunJourneys, longestJourney, runJourneys } from './run-journeys';
import { CostSummary, RunCost, runCost, summarizeCosts, usageFromStageTime } from './run-cost';
import { ErrorBudget, availabilityBudget, eachOnce, latencyBudget } from './slo-budget';
import { StageFlow, stageFlows } from './stage-flow';

/** Value-add against lead time over the journeys that ended in the window (landing -> champion, else -> finished). */
export interface FlowEfficiency {
  journeys: number;
  leadMs: number;
  valueAddMs: number;
  waitMs: number;
  /** valueAddMs / leadMs; null without journeys. */
  efficiency: number | null;
}

/** The Lean flow metrics of one slice of the line (everything, one dataset or one model). */
export interface FlowMetrics {
  leadTime: { toFinished: DurationSummary; toRegistered: DurationSummary; toChampion: DurationSummary };
  flowEfficiency: FlowEfficiency;
  stages: StageFlow[];
  throughput: Throughput;
  workInProgress: WorkInProgress;
  takt: Takt;
  firstPassYield: FirstPassYield;
  quarantineShare: QuarantineShare;
  cost: CostSummary;
}

/** `GET /api/flow`: the metrics overall, per dataset and per model, and the SLO error budgets. */
export interface FlowReport {
  window: { from: string; to: string; days: number };
  overall: FlowMetrics;
  datasets: ({ dataset: string } & FlowMetrics)[];
  models: ({ model: string } & FlowMetrics)[];
  slo: ErrorBudget[];
}

const endsIn = (t: FlowTimeline | undefined, fromMs: number, toMs: number): t is FlowTimeline => t !== undefined && t.endMs >= fromMs && t.endMs < toMs;

/** The cost of a finished run, from its measured usage or else from its stage time. */
export function costOfRun(journeys: RunJourneys, input: FlowInput): RunCost | undefined {
  const { run, finished } = journeys;
  if (!finished) return undefined;
  if (run.run.usage) return runCost(run.run.usage, input.prices, 'usage');
  return runCost(usageFromStageTime(finished, input.instanceMemoryMB), input.prices, 'stage-time');
}

function sliceMetrics(checked: CheckedFlowInput, journeys: readonly RunJourneys[], rollouts: readonly TimedRollout[]): FlowMetrics {
  const { fromMs, toMs, input } = checked;
  const leads = (pick: (j: RunJourneys) => FlowTimeline | undefined) => summarizeDurations(journeys.map(pick).filter((t) => endsIn(t, fromMs, toMs)).map((t) => t.leadMs));
  const longest = journeys.map(longestJourney).filter((t) => endsIn(t, fromMs, toMs));
  const leadMs = longest.reduce((s, t) => s + t.leadMs, 0);
  const valueAddMs = longest.reduce((s, t) => s + t.valueAddMs, 0);
  const finished = journeys.filter((j) => endsIn(j.finished, fromMs, toMs));
  const runs = journeys.map((j) => j.run);
  return {
    leadTime: { toFinished: leads((j) => j.finished), toRegistered: leads((j) => j.registered), toChampion: leads((j) => j.champion) },
    flowEfficiency: {
      journeys: longest.length, leadMs, valueAddMs, waitMs: longest.reduce((s, t) => s + t.waitMs, 0),
      efficiency: leadMs === 0 ? null : valueAddMs / leadMs,
    },
    stages: stageFlows(longest, runs.filter((r) => runInProgress(r, toMs)), toMs),
    throughput: throughput(journeys, fromMs, toMs),
    workInProgress: workInProgress(runs, rollouts, toMs),
    takt: taktTime(runs, fromMs, toMs, input.availableHoursPerDay),
    firstPassYield: firstPassYield(finished.map((j) => j.run)),
    quarantineShare: quarantineShare(finished.map((j) => j.run)),
    cost: summarizeCosts(finished.map((j) => costOfRun(j, input) as RunCost), input.prices.currency),
  };
}

const distinct = (names: readonly string[]) => [...new Set(names)].sort();

/**
 * The Lean flow metrics of the line over a window: lead times, value-add and wait per stage, flow
 * efficiency, throughput, work in progress, takt time, first-pass yield, quarantine share, cost per run
 * (an estimate) and the SLO error budgets. Bad records are errors naming the record and field.
 */
export function flowReport(input: FlowInput): Result<FlowReport, string[]> {
  const checked = checkFlowInput(input);
  if (!checked.ok) return err(checked.error);
  const { fromMs, toMs, runs, rollouts } = checked.value;
  const journeys = runs.map((r) => runJourneys(r, rollouts));
  const slice = (keep: (j: RunJourneys) => boolean, keepRollout: (r: TimedRollout) => boolean) =>
    sliceMetrics(checked.value, journeys.filter(keep), rollouts.filter(keepRollout));
  const modelsOf = (dataset: string) => new Set(runs.flatMap((r) => (r.run.dataset === dataset && r.run.model ? [r.run.model.name] : [])));
  const finishedLeads = journeys.map((j) => j.finished).filter((t) => endsIn(t, fromMs, toMs)).map((t) => t.leadMs);
  return ok({
    window: { from: input.window.from, to: input.window.to, days: (toMs - fromMs) / 86_400_000 },
    overall: slice(() => true, () => true),
    datasets: distinct(runs.map((r) => r.run.dataset)).map((dataset) => {
      const models = modelsOf(dataset);
      return { dataset, ...slice((j) => j.run.run.dataset === dataset, (r) => models.has(r.rollout.model)) };
    }),
    models: distinct([...runs.flatMap((r) => (r.run.model ? [r.run.model.name] : [])), ...rollouts.map((r) => r.rollout.model)]).map((model) => ({
      model, ...slice((j) => j.run.run.model?.name === model, (r) => r.rollout.model === model),
    })),
    slo: [
      latencyBudget('pipeline-lead-time-p95', 95, input.slo.pipelineLeadTimeP95Ms, eachOnce(finishedLeads)),
      latencyBudget('predict-latency-p99', 99, input.slo.predictP99Ms, input.observations.predictLatencies),
      availabilityBudget(input.slo.availability, input.observations.requests),
    ],
  });
}
