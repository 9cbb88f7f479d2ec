import type { LatencyCount } from './slo-budget';

/**
 * The plain records the flow metrics read. The Functions side maps its run, registry, rollout and
 * usage records onto these (docs/flow.md says how); timestamps are ISO 8601 with a UTC offset.
 */

/** One stage of a run (or of a rollout): the time it was being worked on. */
export interface FlowStage {
  name: string;
  status: 'running' | 'succeeded' | 'rejected' | 'failed' | 'skipped';
  startedAt: string;
  /** Absent while the stage runs. */
  endedAt?: string;
}

/** What a run used, for its cost; absent means "estimate from stage time". */
export interface FlowUsage {
  /** Function executions (activities, orchestrator episodes, triggers). */
  executions: number;
  /** Summed execution time of those executions. */
  executionMs: number;
  /** Instance memory the executions ran with (Flex Consumption: 2048 or 4096). */
  memoryMB: number;
  storageWrites: number;
  storageReads: number;
}

/** One batch through the line: landing, its stages, and the model it registered. */
export interface FlowRun {
  id: string;
  dataset: string;
  /** When the batch landed (landing blob created or ingest accepted). */
  landedAt: string;
  status: 'running' | 'accepted' | 'rejected' | 'failed';
  stages: FlowStage[];
  rows: { read: number; accepted: number; quarantined: number; duplicates: number };
  /** How many quarantine replays re-worked rows of this batch (rework: it did not pass first time). */
  replays: number;
  /** The model version the run registered, if any. */
  model?: { name: string; version: number; alias: 'champion' | 'challenger'; registeredAt: string };
  usage?: FlowUsage;
}

/** A canary rollout of a model version; its stages are the traffic steps (gaps between them are waits). */
export interface FlowRollout {
  model: string;
  version: number;
  status: 'running' | 'promoted' | 'rolledBack' | 'aborted';
  startedAt: string;
  /** When it was promoted, rolled back or aborted. */
  endedAt?: string;
  stages: FlowStage[];
}

/** Prices for the cost estimate (list-price estimates, not a bill), in one currency. */
export interface FlowPrices {
  currency: string;
  /** Flex Consumption on-demand execution time, per GB-second. */
  perGbSecond: number;
  /** Flex Consumption on-demand executions, per million. */
  perMillionExecutions: number;
  /** Storage write (and list/create) operations, per 10,000. */
  per10kWrites: number;
  /** Storage read operations, per 10,000. */
  per10kReads: number;
}

/** Service level objectives: the thresholds whose error budgets are computed. */
export interface SloTargets {
  /** 95% of batches finish (landing -> run end) within this. */
  pipelineLeadTimeP95Ms: number;
  /** 99% of predictions answer within this. */
  predictP99Ms: number;
  /** Share of requests that must succeed, e.g. 0.995. */
  availability: number;
}

/** What the SLOs are measured on besides the runs: predictions and HTTP requests in the window. */
export interface SloObservations {
  /** Predictions in the window by latency (ms -> how many). */
  predictLatencies: LatencyCount[];
  requests: { total: number; failed: number };
}

/** Everything `flowReport` reads. */
export interface FlowInput {
  /** The period measured, [from, to); `to` is also the instant work in progress is counted at. */
  window: { from: string; to: string };
  runs: FlowRun[];
  rollouts: FlowRollout[];
  prices: FlowPrices;
  /** Hours a day the line can work (24 for a serverless line), for takt time. */
  availableHoursPerDay: number;
  /** Instance memory assumed for runs without `usage` (their cost is estimated from stage time). */
  instanceMemoryMB: number;
  slo: SloTargets;
  observations: SloObservations;
}
