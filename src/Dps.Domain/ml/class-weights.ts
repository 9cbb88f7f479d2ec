import { Result, err, ok } from '../result';

/** Class weighting setting: off, automatic above a majority/minority ratio, or given per class index. */
export type ClassWeighting = { mode: 'none' } | { mode: 'auto'; ratio?: number } | { mode: 'given'; weights: number[] };

/** Default majority/minority count ratio above which automatic weighting turns on. */
export const DEFAULT_IMBALANCE_RATIO = 4;

/** The weights decided for each class and for each row, with the reason to report. */
export interface ClassWeights {
  /** Weight per class index; all 1 when not applied. */
  perClass: number[];
  applied: boolean;
  /** Row weights to pass to trainGbdt / trainLinear; undefined when not applied. */
  rowWeights?: Float64Array;
  /** Largest class count / smallest (present) class count. */
  imbalance: number;
  reason: string;
}

/**
 * Class weights for labels 0..classes-1. Automatic weighting is scikit-learn's "balanced" (rows / (classes x
 * count)) once the majority/minority ratio exceeds `ratio`; given weights are used as they are.
 */
export function classWeights(labels: Float64Array, classes: number, setting: ClassWeighting): Result<ClassWeights> {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) {
    if (!Number.isInteger(label) || label < 0 || label >= classes) return err(`label ${label} is not a class 0..${classes - 1}`);
    counts[label]++;
  }
  const present = counts.filter((c) => c > 0);
  const imbalance = Math.max(...present) / Math.min(...present);
  const unweighted = (reason: string): Result<ClassWeights> => ok({ perClass: counts.map(() => 1), applied: false, imbalance, reason });
  const apply = (perClass: number[], reason: string): Result<ClassWeights> =>
    ok({ perClass, applied: true, rowWeights: Float64Array.from(labels, (label) => perClass[label]), imbalance, reason });
  if (setting.mode === 'none') return unweighted('class weighting is off');
  if (setting.mode === 'given') {
    if (setting.weights.length !== classes || !setting.weights.every((w) => Number.isFinite(w) && w > 0)) {
      return err(`class weights must be ${classes} positive numbers, one per class`);
    }
    return apply([...setting.weights], `class weights given: ${setting.weights.join(', ')}`);
  }
  const ratio = setting.ratio ?? DEFAULT_IMBALANCE_RATIO;
  if (!(ratio >= 1)) return err(`the imbalance ratio must be >= 1, got ${ratio}`);
  if (imbalance <= ratio) return unweighted(`classes are balanced enough (largest/smallest ${imbalance.toFixed(2)} <= ${ratio})`);
  const perClass = counts.map((count) => (count > 0 ? labels.length / (present.length * count) : 1));
  return apply(perClass, `largest/smallest class ${imbalance.toFixed(2)} > ${ratio}: balanced weights ${perClass.map((w) => w.toFixed(3)).join(', ')}`);
}
