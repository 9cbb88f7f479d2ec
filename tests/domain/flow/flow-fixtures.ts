import type { FlowInput, FlowRollout, FlowRun, FlowStage } from '../../../src/Dps.Domain/flow/flow-records';

const BASE_MS = Date.parse('2026-03-02T00:00:00Z');

/** The ISO time `minutes` after Monday 2026-03-02 00:00Z. */
export const at = (minutes: number) => new Date(BASE_MS + minutes * 60_000).toISOString();

/** A stage from minute `from` to minute `to` (open when `to` is undefined). */
export function stage(name: string, from: number, to?: number, status: FlowStage['status'] = to === undefined ? 'running' : 'succeeded'): FlowStage {
  return { name, status, startedAt: at(from), ...(to === undefined ? {} : { endedAt: at(to) }) };
}

/** An accepted run of `dataset` landed at minute `landed`, 100 rows read and 10 quarantined, unless overridden. */
export function run(id: string, landed: number, stages: FlowStage[], extra: Partial<FlowRun> = {}): FlowRun {
  return {
    id, dataset: 'churn', landedAt: at(landed), status: 'accepted', stages,
    rows: { read: 100, accepted: 88, quarantined: 10, duplicates: 2 }, replays: 0, ...extra,
  };
}

/** A rollout of `model` v`version` from minute `from` to minute `to`. */
export function rollout(model: string, version: number, status: FlowRollout['status'], from: number, to?: number, stages: FlowStage[] = []): FlowRollout {
  return { model, version, status, startedAt: at(from), ...(to === undefined ? {} : { endedAt: at(to) }), stages };
}

/** A one-week window starting at minute 0, with round prices and SLOs. */
export function input(runs: FlowRun[], rollouts: FlowRollout[] = [], extra: Partial<FlowInput> = {}): FlowInput {
  return {
    window: { from: at(0), to: at(7 * 24 * 60) },
    runs, rollouts,
    prices: { currency: 'USD', perGbSecond: 0.000026, perMillionExecutions: 0.4, per10kWrites: 0.065, per10kReads: 0.005 },
    availableHoursPerDay: 24,
    instanceMemoryMB: 2048,
    slo: { pipelineLeadTimeP95Ms: 30 * 60_000, predictP99Ms: 200, availability: 0.99 },
    observations: { predictLatencies: [], requests: { total: 0, failed: 0 } },
    ...extra,
  };
}
