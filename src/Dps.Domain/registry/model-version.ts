import type { FeatureSpec, Task } from '../ml/feature-pipeline';

/** A content-addressed artifact in the models container. */
export interface ArtifactRef {
  container: string;
  name: string;
  sha256: string;
}

/** Headline metrics: `auc`, `logloss`, `accuracy`, `f1`, `precision`, `recall` (binary) or `rmse`, `mae`, `r2` (regression). */
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

/** A registered model version: numbered per model, immutable once written. */
export interface ModelVersion {
  model: string;
  version: number;
  task: Task;
  algorithm: 'gbdt';
  artifact: ArtifactRef;
  /** The model's input schema (its feature pipeline's features). */
  signature: FeatureSpec[];
  metrics: ModelMetrics;
  /** The linear baseline's metrics on the same evaluation set. */
  baseline: ModelMetrics;
  lineage: Lineage;
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
