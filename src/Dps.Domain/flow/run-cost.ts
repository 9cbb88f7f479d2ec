import type { FlowPrices, FlowUsage } from './flow-records';
import type { FlowTimeline } from './flow-timeline';

/** What one run cost, by part; an estimate from list prices, never a bill. */
export interface RunCost {
  compute: number;
  executions: number;
  storage: number;
  total: number;
  /** `usage`: measured executions; `stage-time`: stage time standing in for execution time, storage not counted. */
  basis: 'usage' | 'stage-time';
}

/** Cost totals over runs, labelled as an estimate. */
export interface CostSummary {
  estimate: true;
  currency: string;
  runs: number;
  total: number;
  perRun: number | null;
  compute: number;
  executions: number;
  storage: number;
  /** How many runs were costed from stage time for lack of measured usage. */
  fromStageTime: number;
}

/** Usage a run without measurements is assumed to have: one execution per stage, busy for its value-add time. */
export function usageFromStageTime(finished: FlowTimeline, memoryMB: number): FlowUsage {
  return { executions: finished.processing.length, executionMs: finished.valueAddMs, memoryMB, storageWrites: 0, storageReads: 0 };
}

/** Flex Consumption cost: GB-seconds x price + executions x price + storage operations x price. */
export function runCost(usage: FlowUsage, prices: FlowPrices, basis: RunCost['basis']): RunCost {
  const gbSeconds = (usage.memoryMB / 1024) * (usage.executionMs / 1000);
  const compute = gbSeconds * prices.perGbSecond;
  const executions = (usage.executions / 1_000_000) * prices.perMillionExecutions;
  const storage = (usage.storageWrites / 10_000) * prices.per10kWrites + (usage.storageReads / 10_000) * prices.per10kReads;
  return { compute, executions, storage, total: compute + executions + storage, basis };
}

/** Adds run costs up. */
export function summarizeCosts(costs: readonly RunCost[], currency: string): CostSummary {
  const sum = (pick: (c: RunCost) => number) => costs.reduce((s, c) => s + pick(c), 0);
  const total = sum((c) => c.total);
  return {
    estimate: true, currency, runs: costs.length, total,
    perRun: costs.length === 0 ? null : total / costs.length,
    compute: sum((c) => c.compute), executions: sum((c) => c.executions), storage: sum((c) => c.storage),
    fromStageTime: costs.filter((c) => c.basis === 'stage-time').length,
  };
}
