import { ClassWeights, classWeights } from '../../Dps.Domain/ml/class-weights';
import type { FeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';

/**
 * The class weights of a run's fit rows under its setting (regression: none). Every candidate trains with the
 * same weights, so they compete on equal terms; computed from the labels alone, so each activity gets the same.
 */
export function runClassWeights(pipeline: FeaturePipeline, labels: Float64Array, setting: 'auto' | 'none'): ClassWeights {
  if (pipeline.task === 'regression') return { perClass: [], applied: false, imbalance: 1, reason: 'regression: no class weights' };
  const classes = pipeline.task === 'binary' ? 2 : (pipeline.label.classes ?? []).length;
  const weights = classWeights(labels, classes, setting === 'auto' ? { mode: 'auto' } : { mode: 'none' });
  if (!weights.ok) throw new Error(`class weights: ${weights.error}`);
  return weights.value;
}
