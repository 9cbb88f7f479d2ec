import type { ReferenceColumn } from './drift-reference';
import type { DriftThresholds } from './drift-thresholds';
import { compareDatasets } from './exact-comparison';
import type { FeatureDrift } from './feature-drift';

/** Feature names the monitor uses for the model's outputs and for labels from feedback. */
export const PREDICTION_FEATURE = 'prediction';
export const LABEL_FEATURE = 'label';

/** Class labels and predicted classes are categorical; regression targets and scores numeric. */
export type OutputKind = 'categorical' | 'numeric';

/** A reference or current column of model outputs or labels, named for the monitor. */
export function outputColumn(name: typeof PREDICTION_FEATURE | typeof LABEL_FEATURE, kind: OutputKind, values: ArrayLike<number | string | null>): ReferenceColumn {
  return kind === 'numeric' ? { name, kind, values: values as ArrayLike<number | null> } : { name, kind, values: Array.from(values, (v) => (v === null ? null : String(v))) };
}

/**
 * Prediction drift: the model's outputs now against its outputs on the reference rows, with the same
 * tests and thresholds as features (add the reference column to the drift reference to monitor it per window).
 */
export function predictionDrift(kind: OutputKind, reference: ArrayLike<number | string | null>, current: ArrayLike<number | string | null>, thresholds: DriftThresholds): FeatureDrift {
  return compareOne(PREDICTION_FEATURE, kind, reference, current, thresholds);
}

/** Label drift: labels arriving as feedback against the training labels. */
export function labelDrift(kind: OutputKind, trainingLabels: ArrayLike<number | string | null>, feedbackLabels: ArrayLike<number | string | null>, thresholds: DriftThresholds): FeatureDrift {
  return compareOne(LABEL_FEATURE, kind, trainingLabels, feedbackLabels, thresholds);
}

function compareOne(name: typeof PREDICTION_FEATURE | typeof LABEL_FEATURE, kind: OutputKind, reference: ArrayLike<number | string | null>, current: ArrayLike<number | string | null>, t: DriftThresholds): FeatureDrift {
  return compareDatasets(name, [outputColumn(name, kind, reference)], [outputColumn(name, kind, current)], t).features[0];
}
