import type { RetrainDecision, RetrainPolicy } from '../../Dps.Domain/retraining/retraining-policy';
import type { RetrainTrigger } from '../../Dps.Domain/retraining/retrain-trigger';
import type { TrainingWindow, TrainingWindowSettings } from '../../Dps.Domain/retraining/training-window';
import type { DpsSettings } from '../settings';
import type { BlobRef } from '../storage/blob-io';
import type { AutoRollout } from '../rollout/start-rollout.activity';
import type { TrainedModel } from '../training/training-run';

/** A silver version as the retrain sees it: enough to choose a window and train on it. */
export interface WindowVersion {
  version: number;
  committedAt: string;
  rows: number;
  silver: BlobRef;
  sha256: string;
  contractRevision: number;
}

/** What a retrain decides on, read fresh by an activity each time it (re)checks. */
export interface RetrainFacts {
  /** The champion and the dataset it was trained on; absent when the model has none. */
  champion?: { version: number; dataset: string; trainedThrough: number };
  versions: WindowVersion[];
  newRows: number;
  lastStartedAt?: string;
  rolloutRunning: boolean;
  policy: RetrainPolicy;
  window: TrainingWindowSettings;
  /** The training settings, handed to the training sub-orchestration as the pipeline hands them. */
  training: DpsSettings['training'];
}

/** The outcome of one `retrain-{model}` run: the decisions taken in order, and the challenger if one was trained. */
export interface RetrainResult {
  model: string;
  trigger: RetrainTrigger;
  decisions: Array<Pick<RetrainDecision, 'action' | 'reason'> & { at: string }>;
  outcome: 'trained' | 'skipped' | 'failed';
  window?: TrainingWindow;
  trained?: TrainedModel;
  /** Whether the challenger's rollout started, and why (not). */
  rollout?: AutoRollout;
  error?: string;
}
