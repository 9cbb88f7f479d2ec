import type { FeatureSpec, Task } from '../ml/feature-pipeline';

/** A content-addressed artifact in the models container. */
export interface ArtifactRef {
  container: string;
  name: string;
  sha256: string;
}

/** Headline metrics: `auc`, `logloss`, `accuracy`, `f1`, `precision`, `recall` (binary), `accuracy`, `macro_f1`, `logloss` (multiclass) or `rmse`, `mae`, `r2` (regression). */
export type ModelMetrics = Record<string, number>;

/** One hyperparameter trial as the registry records it. */
export interface TrialRecord {
  trial: number;
  params: Record<string, number>;
  validationLoss: number;
  bestIteration: number;
}

/** Where a model version came from. */
export interface Lineage {
  dataset: string;
  datasetSha256: string;
  contractRevision: number;
  silver: { container: string; name: string };
  /** A retrain's training window: every silver blob it trained on, oldest first (absent: `silver` alone). */
  silverWindow?: { container: string; name: string }[];
  evaluation: { kind: 'test-set' | 'holdout'; rows: number; source: string };
  codeVersion: string;
  seed: number;
  params: Record<string, number | string>;
  trials: TrialRecord[];
  pipelineInstanceId: string;
}

/** How the registered candidate was chosen, as the run, the lineage and the card report it. */
export interface CandidateChoice {
  /** Validation metric and direction the candidates were ranked on. */
  metric: string;
  higherIsBetter: boolean;
  winner: { id: string; kind: 'gbdt' | 'linear'; value: number };
  /** Best candidate of the other family, when there was one. */
  runnerUp?: { id: string; kind: 'gbdt' | 'linear'; value: number };
  /** Winner minus runner-up, signed so positive means the winner is better. */
  margin: number;
  summary: string;
  validationRows: number;
}

/** Decisions fitted on the validation split: calibration, decision threshold, class weights. */
export interface ScoringDecisions {
  calibration: { method: 'none' | 'platt' | 'isotonic' | 'temperature'; reason: string };
  /** Binary only: probability >= threshold is the positive class. */
  threshold?: { value: number; rule: string; reason: string };
  classWeights: { applied: boolean; perClass: number[]; reason: string };
  /** The registered model was trained again on every training row (fit + validation) after selection; absent on earlier versions. */
  refit?: { rows: number; rounds?: number; reason: string };
}

/** Every evaluation row accounted for: scored, or left out with the reason. */
export interface EvaluationAccounting {
  /** Rows the test file (or the holdout) held. */
  read: number;
  scored: number;
  quarantined: number;
  duplicates: number;
  unlabelled: number;
  /** One line per reason a row was not scored. */
  reasons: string[];
  /** Scored rows repeating an earlier evaluation row's inputs and label: kept, as the traffic they stand for. */
  repeats?: number;
  /** Scored rows whose inputs and label equal a training row's (a leak check), and the metrics on the other rows. */
  inTraining?: { rows: number; metricsWithout?: ModelMetrics };
  /** One line per fact about the scored rows (repeats, overlap with training). */
  notes?: string[];
}

/** A registered model version: numbered per model, immutable once written. */
export interface ModelVersion {
  model: string;
  version: number;
  task: Task;
  /** The family of the registered candidate: boosted trees or the linear baseline. */
  algorithm: 'gbdt' | 'linear';
  artifact: ArtifactRef;
  /** The label it predicts: column, positive class (binary), classes in label order (multiclass); absent on early versions. */
  label?: { column: string; positiveClass?: string; classes?: string[] };
  /** The model's input schema (its feature pipeline's features). */
  signature: FeatureSpec[];
  metrics: ModelMetrics;
  /** The linear baseline's metrics on the same evaluation set. */
  baseline: ModelMetrics;
  lineage: Lineage;
  /** Versions registered before candidate selection have none of the following four. */
  selection?: CandidateChoice;
  decisions?: ScoringDecisions;
  accounting?: EvaluationAccounting;
  /** What the user should know about how the task was decided. */
  warnings?: string[];
  createdAt: string;
  createdBy: string;
}

/** Why an alias points where it does: the gate's stored evidence. */
export interface AliasEvidence {
  model: string;
  /** `previous` is the champion a rollout replaced (kept to roll back to by hand). */
  alias: 'champion' | 'challenger' | 'previous';
  version: number;
  /** A challenger's rollout verdict: `rejected` (rolled back by a gate) or `promoted` (now the champion). */
  status?: 'rejected' | 'promoted';
  metrics: ModelMetrics;
  comparison?: { against: number; metric: string; candidate: number; incumbent: number; sameEvaluationSet: boolean };
  who: string;
  why: string;
  at: string;
}
