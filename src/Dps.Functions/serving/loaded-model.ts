import type { DataContract } from '../../Dps.Domain/data/contract-types';
import type { FeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';
import type { Calibrator } from '../../Dps.Domain/ml/probability-calibration';
import type { TabularModel } from '../../Dps.Domain/ml/tabular-model';
import type { ModelVersion } from '../../Dps.Domain/registry/model-version';
import { BINARY_PREDICTION_EDGES, ScoreSpec } from '../../Dps.Domain/rollout/rollout-counters';
import type { BinaryClasses } from '../../Dps.Domain/serving/prediction-response';
import { ScoringSchema, scoringSchemaOf } from '../../Dps.Domain/serving/scoring-schema';
import type { ServingDependencies } from './serving-dependencies';
import { loadArtifact } from '../registry/model-artifact';
import { MissingTokens, missingTokensOf } from './missing-tokens';

/** A model version ready to score: its artifact, the schema rows are checked against, and its class names. */
export interface LoadedModel {
  version: ModelVersion;
  pipeline: FeaturePipeline;
  model: TabularModel;
  threshold: number;
  /** Binary: maps the model's probability to the calibrated one the threshold applies to. */
  calibration: Calibrator;
  schema: ScoringSchema;
  /** Binary models: the class names answered as `prediction`, when the label's values are known. */
  classes?: BinaryClasses;
  /** Cell texts the training contract reads as missing. */
  missing: MissingTokens;
}

/**
 * The binary class names: the pipeline's, else its positive class and the other value the training
 * contract allows for the label; undefined when unknown (predictions are then 1/0).
 */
function binaryClasses(pipeline: FeaturePipeline, contract?: DataContract): BinaryClasses | undefined {
  const { classes, positiveClass, column } = pipeline.label;
  if (pipeline.task !== 'binary') return undefined;
  if (classes && classes.length === 2) return { negative: classes[0], positive: classes[1] };
  const declared = contract?.columns.find((c) => c.name === column);
  // A yes/no label read as boolean has the classes true and false.
  const values = declared?.type === 'boolean' ? ['false', 'true'] : declared?.values?.map(String);
  const negative = values?.find((v) => v !== positiveClass);
  return positiveClass !== undefined && negative !== undefined && values?.length === 2 ? { positive: positiveClass, negative } : undefined;
}

/** Loads a registered version's artifact (sha256-checked) and its training contract, for scoring. */
export async function loadModel(deps: ServingDependencies, version: ModelVersion): Promise<LoadedModel> {
  const artifact = await loadArtifact(deps.storage().blobs, version.artifact);
  const stored = await deps.dataPlane().contracts.revision(version.lineage.dataset, version.lineage.contractRevision).catch(() => undefined);
  const loaded: LoadedModel = {
    version, pipeline: artifact.pipeline, model: artifact.model, threshold: artifact.threshold, calibration: artifact.calibration,
    schema: scoringSchemaOf(artifact.pipeline, stored?.contract), missing: missingTokensOf(stored?.contract),
  };
  const classes = binaryClasses(artifact.pipeline, stored?.contract);
  if (classes) loaded.classes = classes;
  return loaded;
}

/** How rollout counters bin a binary model's scores (regression rollouts bring edges from the champion's scores). */
export function binaryScoreSpec(threshold: number): ScoreSpec {
  return { task: 'binary', threshold, predictionEdges: BINARY_PREDICTION_EDGES };
}
