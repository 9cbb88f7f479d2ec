import { parseIsoInstant } from '../iso-time';
import { Result, ok, err } from '../result';
import type { FlowInput, FlowRollout, FlowRun, FlowStage, FlowUsage } from './flow-records';

/** A stage with its times in epoch milliseconds; `endMs` undefined while it runs. */
export interface TimedStage {
  name: string;
  status: FlowStage['status'];
  startMs: number;
  endMs?: number;
}

/** A run with parsed times, stages in start order. */
export interface TimedRun {
  run: FlowRun;
  landedMs: number;
  stages: TimedStage[];
  /** When the last stage ended; undefined while the run is running. */
  finishedMs?: number;
  registeredMs?: number;
}

/** A rollout with parsed times, stages in start order. */
export interface TimedRollout {
  rollout: FlowRollout;
  startMs: number;
  endMs?: number;
  stages: TimedStage[];
}

/** The input with every timestamp parsed and every rule checked. */
export interface CheckedFlowInput {
  input: FlowInput;
  fromMs: number;
  toMs: number;
  runs: TimedRun[];
  rollouts: TimedRollout[];
}

/** Collects the broken rules of one record, each message naming the record and field. */
class Problems {
  readonly list: string[] = [];

  time(where: string, field: string, text: string | undefined): number | undefined {
    if (typeof text !== 'string') {
      this.list.push(`${where}: ${field} is missing (an ISO timestamp with a UTC offset is required)`);
      return undefined;
    }
    const parsed = parseIsoInstant(text);
    if (!parsed.ok) this.list.push(`${where}: ${field} ${parsed.error}`);
    return parsed.ok ? parsed.value : undefined;
  }

  count(where: string, field: string, value: number): void {
    if (!Number.isInteger(value) || value < 0) this.list.push(`${where}: ${field} must be a whole number >= 0, got ${value}`);
  }

  amount(where: string, field: string, value: number, rule: (x: number) => boolean, ruleText: string): void {
    if (typeof value !== 'number' || !Number.isFinite(value) || !rule(value)) this.list.push(`${where}: ${field} must be ${ruleText}, got ${value}`);
  }

  /** `finishedAs` names what has finished (the run, the rollout) when every stage must have ended. */
  stages(where: string, stages: FlowStage[], notBeforeMs: number | undefined, finishedAs: string | undefined): TimedStage[] {
    const out: TimedStage[] = [];
    stages.forEach((stage, i) => {
      const at = `${where} stage ${i} '${stage.name}'`;
      const startMs = this.time(at, 'startedAt', stage.startedAt);
      const endMs = stage.endedAt === undefined ? undefined : this.time(at, 'endedAt', stage.endedAt);
      if (startMs === undefined) return;
      if (endMs !== undefined && endMs < startMs) this.list.push(`${at}: endedAt ${stage.endedAt} is before startedAt ${stage.startedAt}`);
      if (notBeforeMs !== undefined && startMs < notBeforeMs) this.list.push(`${at}: startedAt ${stage.startedAt} is before the work began`);
      if (stage.endedAt === undefined && finishedAs) this.list.push(`${at}: endedAt is missing but the ${finishedAs} has finished`);
      out.push({ name: stage.name, status: stage.status, startMs, endMs });
    });
    return out.sort((a, b) => a.startMs - b.startMs);
  }
}

function checkUsage(p: Problems, where: string, usage: FlowUsage): void {
  for (const field of ['executions', 'storageWrites', 'storageReads'] as const) p.count(where, `usage.${field}`, usage[field]);
  p.amount(where, 'usage.executionMs', usage.executionMs, (x) => x >= 0, '>= 0');
  p.amount(where, 'usage.memoryMB', usage.memoryMB, (x) => x > 0, '> 0');
}

function checkRun(p: Problems, run: FlowRun): TimedRun | undefined {
  const where = `run '${run.id}'`;
  const before = p.list.length;
  const landedMs = p.time(where, 'landedAt', run.landedAt);
  const stages = p.stages(where, run.stages, landedMs, run.status === 'running' ? undefined : 'run');
  const { read, accepted, quarantined, duplicates } = run.rows;
  for (const [field, value] of Object.entries(run.rows)) p.count(where, `rows.${field}`, value);
  if (read !== accepted + quarantined + duplicates) {
    p.list.push(`${where}: rows.read ${read} must equal accepted ${accepted} + quarantined ${quarantined} + duplicates ${duplicates}`);
  }
  p.count(where, 'replays', run.replays);
  const registeredMs = run.model ? p.time(where, 'model.registeredAt', run.model.registeredAt) : undefined;
  if (registeredMs !== undefined && landedMs !== undefined && registeredMs < landedMs) p.list.push(`${where}: model.registeredAt is before landedAt`);
  if (run.usage) checkUsage(p, where, run.usage);
  if (p.list.length > before || landedMs === undefined) return undefined;
  const finishedMs = run.status === 'running' ? undefined : Math.max(landedMs, ...stages.map((s) => s.endMs as number));
  return { run, landedMs, stages, finishedMs, registeredMs };
}

function checkRollout(p: Problems, rollout: FlowRollout): TimedRollout | undefined {
  const where = `rollout '${rollout.model}' v${rollout.version}`;
  const before = p.list.length;
  const startMs = p.time(where, 'startedAt', rollout.startedAt);
  const finished = rollout.status !== 'running';
  if (finished && rollout.endedAt === undefined) p.list.push(`${where}: endedAt is missing but the rollout is ${rollout.status}`);
  const endMs = rollout.endedAt === undefined ? undefined : p.time(where, 'endedAt', rollout.endedAt);
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) p.list.push(`${where}: endedAt is before startedAt`);
  const stages = p.stages(where, rollout.stages, startMs, finished ? 'rollout' : undefined);
  if (p.list.length > before || startMs === undefined) return undefined;
  return { rollout, startMs, endMs, stages };
}

function checkSettings(p: Problems, input: FlowInput): void {
  const { prices, slo, observations } = input;
  const nonNegative = (x: number) => x >= 0;
  for (const field of ['perGbSecond', 'perMillionExecutions', 'per10kWrites', 'per10kReads'] as const) p.amount('prices', field, prices[field], nonNegative, '>= 0');
  p.amount('settings', 'instanceMemoryMB', input.instanceMemoryMB, (x) => x > 0, '> 0');
  p.amount('settings', 'availableHoursPerDay', input.availableHoursPerDay, (x) => x > 0 && x <= 24, 'in (0, 24]');
  p.amount('slo', 'pipelineLeadTimeP95Ms', slo.pipelineLeadTimeP95Ms, (x) => x > 0, '> 0');
  p.amount('slo', 'predictP99Ms', slo.predictP99Ms, (x) => x > 0, '> 0');
  p.amount('slo', 'availability', slo.availability, (x) => x > 0 && x < 1, 'a share in (0, 1), e.g. 0.995');
  observations.predictLatencies.forEach((c, i) => {
    p.amount('observations', `predictLatencies[${i}].ms`, c.ms, nonNegative, '>= 0');
    p.count('observations', `predictLatencies[${i}].count`, c.count);
  });
  p.count('observations', 'requests.total', observations.requests.total);
  p.count('observations', 'requests.failed', observations.requests.failed);
  if (observations.requests.failed > observations.requests.total) p.list.push('observations: requests.failed must not exceed requests.total');
}

/** Parses every timestamp and checks every rule; the errors name the record, the field and the rule. */
export function checkFlowInput(input: FlowInput): Result<CheckedFlowInput, string[]> {
  const p = new Problems();
  const fromMs = p.time('window', 'from', input.window.from);
  const toMs = p.time('window', 'to', input.window.to);
  if (fromMs !== undefined && toMs !== undefined && toMs <= fromMs) p.list.push(`window: to ${input.window.to} must be after from ${input.window.from}`);
  checkSettings(p, input);
  const records = checkRecords(p, input.runs, input.rollouts);
  if (p.list.length > 0) return err(p.list);
  return ok({ input, fromMs: fromMs as number, toMs: toMs as number, ...records });
}

function checkRecords(p: Problems, runs: readonly FlowRun[], rollouts: readonly FlowRollout[]): { runs: TimedRun[]; rollouts: TimedRollout[] } {
  return {
    runs: runs.map((run) => checkRun(p, run)).filter((r): r is TimedRun => r !== undefined),
    rollouts: rollouts.map((rollout) => checkRollout(p, rollout)).filter((r): r is TimedRollout => r !== undefined),
  };
}

/** Parses and checks run and rollout records alone (no window or settings). */
export function checkRunRecords(runs: readonly FlowRun[], rollouts: readonly FlowRollout[]): Result<{ runs: TimedRun[]; rollouts: TimedRollout[] }, string[]> {
  const p = new Problems();
  const records = checkRecords(p, runs, rollouts);
  return p.list.length > 0 ? err(p.list) : ok(records);
}
