import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import type { BronzeBatch } from '../datasets/bronze-store';
import type { BatchDrift } from '../drift/batch-drift.activity';
import type { AutoRollout } from '../rollout/start-rollout.activity';
import type { BlobRef } from '../storage/blob-io';
import type { TrainedModel } from '../training/training-run';
import type { StageRecord } from './stage-tracker';

/** What starts a pipeline: a landed batch and who sent it. */
export interface PipelineInput {
  batch: BronzeBatch;
  /** Label column asked for at ingest (`?label=`); a stored contract's label wins. */
  label?: string;
  /** A separate test batch (same contract) to evaluate the model on instead of a holdout. */
  test?: BronzeBatch;
  submittedBy: string;
  /** When the batch landed (ingest accepted it, or the landing trigger saw it): where its lead time starts. */
  landedAt?: string;
}

/** The pipeline's result, also its Durable output and its row in the runs table. */
export interface PipelineResult {
  instanceId: string;
  dataset: string;
  sha256: string;
  status: 'accepted' | 'rejected' | 'failed';
  rows: RowCounts;
  stages: StageRecord[];
  errors: string[];
  warnings: string[];
  contract?: { revision: number; origin: 'user' | 'inferred'; label?: string };
  silver?: { version: number; blob: BlobRef };
  layers?: Record<string, BlobRef>;
  testSet?: { rows: RowCounts; blob?: BlobRef };
  profile?: BlobRef;
  /** The drift stage's verdict: the batch against the champion's training data (datasets with a champion only). */
  drift?: Extract<BatchDrift, { status: 'compared' }>;
  model?: TrainedModel;
  /** For a new challenger: whether its canary rollout started (DPS_ROLLOUT_AUTO), and why not. */
  rollout?: AutoRollout;
  /** Copied from the input; absent on runs started before it was recorded. */
  landedAt?: string;
}
