import { Result, ok, err } from '../result';

/** When a running resource counts as idle: no executions, or CPU below a percentage, for at least some hours. */
export interface IdleThresholds {
  idleHours: number;
  cpuBelowPercent: number;
}

/** What monitoring observed for one resource. */
export interface ResourceMetrics {
  hoursObserved: number;
  executions: number;
  avgCpuPercent: number;
}

/** The idle policy's input: thresholds and figures by resource id. */
export interface IdleInput {
  thresholds: IdleThresholds;
  byResource: Record<string, ResourceMetrics>;
}

function checkFigures(where: string, figures: object, names: string[]): string | undefined {
  const record = figures as Record<string, unknown>;
  const bad = names.find((n) => typeof record[n] !== 'number' || !Number.isFinite(record[n]) || (record[n] as number) < 0);
  return bad === undefined ? undefined : `${where}.${bad} must be a finite number >= 0`;
}

/** Checks that every threshold and figure is a finite number >= 0; the error names the field. */
export function validateIdleInput(input: IdleInput): Result<IdleInput, string> {
  const problem =
    checkFigures('metrics.thresholds', input.thresholds ?? {}, ['idleHours', 'cpuBelowPercent']) ??
    Object.entries(input.byResource ?? {})
      .map(([id, m]) => checkFigures(`metrics.byResource[${id}]`, m ?? {}, ['hoursObserved', 'executions', 'avgCpuPercent']))
      .find((p) => p !== undefined);
  return problem === undefined ? ok(input) : err(problem);
}

/** Why the figures show an idle resource, or undefined when they do not. */
export function idleReason(metrics: ResourceMetrics, thresholds: IdleThresholds): string | undefined {
  if (metrics.hoursObserved < thresholds.idleHours) return undefined;
  if (metrics.executions > 0 && metrics.avgCpuPercent >= thresholds.cpuBelowPercent) return undefined;
  return (
    `idle: ${metrics.executions} executions and ${metrics.avgCpuPercent}% average CPU over ${metrics.hoursObserved} h ` +
    `(idle means no executions or CPU below ${thresholds.cpuBelowPercent}% for ${thresholds.idleHours} h)`
  );
}
