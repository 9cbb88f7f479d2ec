import { Result, err, ok } from '../result';
import { DEFAULT_PSI_THRESHOLDS, PsiThresholds } from './psi';

/** The drift tests: two hypothesis tests for small references, two distances for large ones. */
export const DRIFT_METHODS = ['ks', 'chisquare', 'wasserstein', 'jensenshannon'] as const;
export type DriftMethod = (typeof DRIFT_METHODS)[number];

/** Per-feature overrides: force a method, change its threshold, or leave the feature out. */
export interface FeatureThresholdOverride {
  method?: DriftMethod;
  threshold?: number;
  ignore?: boolean;
}

/** Every threshold the drift verdict uses (Evidently's defaults unless overridden). */
export interface DriftThresholds {
  /** References with at most this many rows are tested (KS, chi-squared); larger ones get distances. */
  testRowsLimit: number;
  /** KS and chi-squared: drift when p < pValue. */
  pValue: number;
  /** Wasserstein distance normalised by the reference's standard deviation: drift when >= this. */
  wasserstein: number;
  /** Jensen-Shannon distance: drift when >= this. */
  jensenShannon: number;
  /** Numeric columns with at most this many distinct values (reference and current) count as categorical. */
  categoricalDistinct: number;
  /** Dataset drift when the share of drifted features >= this. */
  datasetShare: number;
  psi: PsiThresholds;
  features: Record<string, FeatureThresholdOverride>;
}

/** A layer of overrides (contract, then model): any field may be left out. */
export type DriftThresholdOverrides = Partial<Omit<DriftThresholds, 'psi' | 'features'>> & {
  psi?: Partial<PsiThresholds>;
  features?: Record<string, FeatureThresholdOverride>;
};

/** Evidently's defaults, with PSI read at 0.1 / 0.25. */
export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = {
  testRowsLimit: 1000,
  pValue: 0.05,
  wasserstein: 0.1,
  jensenShannon: 0.1,
  categoricalDistinct: 5,
  datasetShare: 0.5,
  psi: DEFAULT_PSI_THRESHOLDS,
  features: {},
};

/**
 * Applies override layers in order (e.g. the contract's, then the model's) over the defaults; later
 * layers win, per field and per feature. Errors name the layer and field, e.g. "model: drift.pValue ...".
 */
export function resolveDriftThresholds(layers: { name: string; overrides?: DriftThresholdOverrides }[]): Result<DriftThresholds, string[]> {
  let out: DriftThresholds = { ...DEFAULT_DRIFT_THRESHOLDS, psi: { ...DEFAULT_DRIFT_THRESHOLDS.psi }, features: {} };
  const errors: string[] = [];
  for (const { name, overrides } of layers) {
    if (!overrides) continue;
    const problems = checkOverrides(overrides).map((p) => `${name}: ${p}`);
    errors.push(...problems);
    if (problems.length > 0) continue;
    const features = { ...out.features };
    for (const [feature, o] of Object.entries(overrides.features ?? {})) features[feature] = { ...features[feature], ...o };
    out = { ...out, ...overrides, psi: { ...out.psi, ...overrides.psi }, features };
  }
  if (out.psi.minor > out.psi.major) errors.push(`drift.psi.minor (${out.psi.minor}) must not exceed drift.psi.major (${out.psi.major})`);
  return errors.length > 0 ? err(errors) : ok(out);
}

const RULES: Record<string, [min: number, max: number, integer: boolean]> = {
  testRowsLimit: [0, Number.MAX_SAFE_INTEGER, true],
  pValue: [0, 1, false],
  wasserstein: [0, Infinity, false],
  jensenShannon: [0, 1, false],
  categoricalDistinct: [0, Number.MAX_SAFE_INTEGER, true],
  datasetShare: [0, 1, false],
};

function checkOverrides(o: DriftThresholdOverrides): string[] {
  const problems: string[] = [];
  const check = (field: string, value: unknown, [min, max, integer]: [number, number, boolean]) => {
    if (value === undefined) return;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      problems.push(`drift.${field} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max} (got ${JSON.stringify(value)})`);
    }
  };
  for (const key of Object.keys(o)) {
    if (!(key in RULES) && key !== 'psi' && key !== 'features') problems.push(`drift.${key} is not a drift setting (known: ${[...Object.keys(RULES), 'psi', 'features'].join(', ')})`);
  }
  for (const [field, rule] of Object.entries(RULES)) check(field, (o as Record<string, unknown>)[field], rule);
  check('psi.minor', o.psi?.minor, [0, Infinity, false]);
  check('psi.major', o.psi?.major, [0, Infinity, false]);
  for (const [feature, f] of Object.entries(o.features ?? {})) {
    if (f.method !== undefined && !DRIFT_METHODS.includes(f.method)) {
      problems.push(`drift.features.${feature}.method must be one of ${DRIFT_METHODS.join(', ')} (got ${JSON.stringify(f.method)})`);
    }
    check(`features.${feature}.threshold`, f.threshold, [0, Infinity, false]);
    if (f.ignore !== undefined && typeof f.ignore !== 'boolean') problems.push(`drift.features.${feature}.ignore must be true or false`);
  }
  return problems;
}
