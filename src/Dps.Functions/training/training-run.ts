import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import type { AliasEvidence, ModelMetrics } from '../../Dps.Domain/registry/model-version';
import type { BlobRef } from '../storage/blob-io';

/** What the pipeline hands the training sub-orchestration. */
export interface TrainModelInput {
  model: string;
  dataset: string;
  datasetSha256: string;
  contractRevision: number;
  /** The newest silver batch (its contract revision and sha256 above). */
  silver: BlobRef;
  /** A retrain's training window: every silver blob to train on, oldest first (`silver` among them); absent: `silver` alone. */
  silverWindow?: BlobRef[];
  test?: BlobRef;
  pipelineInstanceId: string;
  submittedBy: string;
  trials: number;
  seed: number;
}

/** The silver blobs a run trains on: its window, or its one batch. */
export function silversOf(run: { silver: BlobRef; silverWindow?: BlobRef[] }): BlobRef[] {
  return run.silverWindow && run.silverWindow.length > 0 ? run.silverWindow : [run.silver];
}

/** The registered model, as the pipeline result reports it. */
export interface TrainedModel {
  name: string;
  version: number;
  task: Task;
  algorithm: 'gbdt';
  alias: AliasEvidence['alias'];
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  trials: number;
  evaluation: { kind: 'test-set' | 'holdout'; rows: number };
}

/** Share of the silver rows held out for evaluation when no test set was given. */
export const HOLDOUT = 0.2;
