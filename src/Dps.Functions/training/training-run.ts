import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import type { LineageParent } from '../../Dps.Domain/lineage/run-id';
import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import type { AliasEvidence, CandidateChoice, EvaluationAccounting, ModelMetrics, ScoringDecisions } from '../../Dps.Domain/registry/model-version';
import type { DpsSettings } from '../settings';
import type { BlobRef } from '../storage/blob-io';

/** What the pipeline hands the training sub-orchestration (the training settings included). */
export interface TrainModelInput extends Omit<DpsSettings['training'], 'trials' | 'seed'> {
  model: string;
  dataset: string;
  datasetSha256: string;
  contractRevision: number;
  /** The newest silver batch (its contract revision and sha256 above). */
  silver: BlobRef;
  /** A retrain's training window: every silver blob to train on, oldest first (`silver` among them); absent: `silver` alone. */
  silverWindow?: BlobRef[];
  test?: BlobRef;
  /** The test file's validation: its row counts, its findings (one line each) and where its quarantined rows are, with their reasons. */
  testValidation?: { rows: RowCounts; reasons: string[]; quarantine?: BlobRef };
  pipelineInstanceId: string;
  /** The run that started this one (pipeline or retrain), named as its parent in the OpenLineage events. */
  lineageParent?: LineageParent;
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
  algorithm: 'gbdt' | 'linear';
  alias: AliasEvidence['alias'];
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  trials: number;
  evaluation: { kind: 'test-set' | 'holdout'; rows: number };
  /** Which candidate won on the validation split, against which, by how much. */
  selection: CandidateChoice;
  decisions: ScoringDecisions;
  /** Every evaluation row scored or reported. */
  accounting: EvaluationAccounting;
  /** How the task was decided, when the user should know (e.g. integer class ids). */
  warnings: string[];
}

/** Share of the silver rows held out for evaluation when no test set was given. */
export const HOLDOUT = 0.2;

/** Share of the training rows the candidates are compared on and calibration and the threshold are fitted on. */
export const VALIDATION = 0.2;
