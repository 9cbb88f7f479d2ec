import type { ArtifactRef, ModelMetrics } from '../../Dps.Domain/registry/model-version';

/** A trained candidate (a GBDT trial or the linear baseline): how it did on the validation split and its stored bundle. */
export interface CandidateResult {
  /** `trial-{n}` or `linear-baseline`. */
  id: string;
  kind: 'gbdt' | 'linear';
  /** GBDT trials: the trial number, its parameters, early-stopping loss and rounds kept. */
  trial?: number;
  params: Record<string, number>;
  validationLoss?: number;
  bestIteration?: number;
  /** GBDT trials: the rows its trees were fitted on (the fit rows less its early-stopping holdout), to scale the refit's rounds by. */
  trainedRows?: number;
  /** Headline metrics on the validation split. */
  metrics: ModelMetrics;
  /** The candidate's uncalibrated bundle (threshold 0.5); absent when it could not be trained. */
  artifact?: ArtifactRef;
  /** Why the candidate could not be trained (it then takes no part in the selection). */
  failed?: string;
}
