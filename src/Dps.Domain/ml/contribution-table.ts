/**
 * Per-prediction contributions in raw-score units (log-odds for binary, per-class logits for multiclass, the
 * target for regression): row r's contribution of feature f to output k is values[(r * outputs + k) * features.length + f],
 * and expected[k] + that row's contributions to k = its raw score.
 */
export interface ContributionTable {
  rows: number;
  outputs: number;
  features: string[];
  expected: Float64Array;
  values: Float64Array;
}
