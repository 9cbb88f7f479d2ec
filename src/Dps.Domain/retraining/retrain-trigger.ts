/** Why a retrain was asked for, with the evidence the audit event carries. */
export type RetrainTrigger =
  | { kind: 'drift'; at: string; windowEnd: string; share: number }
  | { kind: 'schedule'; at: string }
  | { kind: 'performance'; at: string; metric: string; value: number; threshold: number; labels: number }
  | { kind: 'volume'; at: string; newRows: number; threshold: number }
  | { kind: 'manual'; at: string; by: string };

/** The online metric from feedback and when it counts as decayed. */
export interface PerformanceRule {
  metric: string;
  threshold: number;
  /** True for accuracy, AUC, F1; false for error metrics such as RMSE. */
  higherIsBetter: boolean;
  /** Fewer labels than this say nothing yet. */
  minLabels: number;
}

/** A performance trigger when the online metric, over enough labels, is past its threshold; else null. */
export function performanceTrigger(online: { metric: string; value: number; labels: number }, rule: PerformanceRule, at: string): RetrainTrigger | null {
  if (online.metric !== rule.metric || online.labels < rule.minLabels || !Number.isFinite(online.value)) return null;
  const decayed = rule.higherIsBetter ? online.value < rule.threshold : online.value > rule.threshold;
  return decayed ? { kind: 'performance', at, metric: rule.metric, value: online.value, threshold: rule.threshold, labels: online.labels } : null;
}

/** A volume trigger once this many new rows have landed since the champion was trained; else null. */
export function volumeTrigger(newRows: number, threshold: number, at: string): RetrainTrigger | null {
  return threshold > 0 && newRows >= threshold ? { kind: 'volume', at, newRows, threshold } : null;
}
