import { Result, err, ok } from '../result';
import { solveCholesky } from './cholesky-solver';
import { FeatureMatrix, checkMatrix } from './feature-matrix';
import { bindToSchema, schemaOf } from './feature-schema';
import { checkLabels, classCount, sigmoid, softmaxInto } from './gbdt-objective';
import { GbdtObjective } from './gbdt-params';
import { LinearEncoder, SparseRows, encodeRows, fitLinearEncoder } from './linear-encoder';

/** Settings of the linear baseline. */
export interface LinearParams {
  /** binary: logistic regression; multiclass: multinomial logistic regression; regression: ridge regression. */
  objective: GbdtObjective;
  /** Classes of a multiclass objective; 0 takes the largest label + 1. */
  numClasses: number;
  /** L2 penalty on the weights (not the intercept), on standardised inputs. */
  l2: number;
  /** Categories one-hot encoded per feature (the most frequent); the rest share the zero baseline. */
  maxCategories: number;
  /** Most Newton steps (sweeps over the classes for multiclass; ridge needs one). */
  maxIterations: number;
}

/** One raw-score output of a linear model: intercept plus one weight per encoder input. */
export interface LinearOutput {
  intercept: number;
  weights: number[];
}

/** A fitted linear model: plain JSON data. */
export interface LinearModel {
  format: 'dps-linear/2';
  objective: GbdtObjective;
  encoder: LinearEncoder;
  /** One output per class for multiclass, else one. */
  outputs: LinearOutput[];
  /** Mean of each encoder input over the training rows: the reference point of per-feature contributions. */
  inputMeans: number[];
  iterations: number;
}

/**
 * Fits logistic, multinomial logistic or ridge regression by Newton's method (IRLS; multinomial by sweeps of
 * per-class Newton steps) on standardised, one-hot inputs. `weights` scale each row's share of the loss. The
 * solve is exact and ordered, so the same data gives the same weights.
 */
export function trainLinear(
  matrix: FeatureMatrix,
  labels: Float64Array,
  params: Partial<LinearParams> & Pick<LinearParams, 'objective'>,
  weights?: Float64Array,
): Result<LinearModel> {
  const p: LinearParams = { numClasses: 0, l2: 1, maxCategories: 100, maxIterations: 25, ...params };
  if (!(p.l2 >= 0) || !(p.maxCategories >= 1) || !(p.maxIterations >= 1)) return err('l2 must be >= 0, maxCategories and maxIterations >= 1');
  const checked = checkMatrix(matrix, labels);
  if (!checked.ok) return checked;
  if (weights !== undefined && (weights.length !== labels.length || !weights.every((w) => Number.isFinite(w) && w >= 0))) {
    return err(`weights must be ${labels.length} finite numbers >= 0`);
  }
  const k = p.objective === 'multiclass' ? (p.numClasses > 0 ? p.numClasses : Math.max(2, classCount(labels))) : 1;
  const labelCheck = checkLabels(p.objective, labels, true, p.objective === 'multiclass' ? k : 0);
  if (!labelCheck.ok) return labelCheck;
  const schema = schemaOf(matrix);
  const columns = bindToSchema(schema, matrix);
  if (!columns.ok) return columns;
  const encoder = fitLinearEncoder(schema, columns.value, p.maxCategories);
  const design = encodeRows(encoder, columns.value, matrix.rows);
  const fitted = newtonFit(design, labels, weights ?? null, p, k);
  if (!fitted.ok) return fitted;
  return ok({
    format: 'dps-linear/2',
    objective: p.objective,
    encoder,
    outputs: fitted.value.betas.map((beta) => ({ intercept: beta[0], weights: Array.from(beta.subarray(1)) })),
    inputMeans: Array.from(columnMeans(design).subarray(1)),
    iterations: fitted.value.iterations,
  });
}

/** Raw scores (before the link) for a matrix whose columns are matched by name: row-major, one per output. */
export function linearRawScores(model: LinearModel, matrix: FeatureMatrix): Result<{ rows: number; outputs: number; values: Float64Array }> {
  const columns = bindToSchema(model.encoder.schema, matrix);
  if (!columns.ok) return columns;
  const design = encodeRows(model.encoder, columns.value, matrix.rows);
  const k = model.outputs.length;
  const values = new Float64Array(matrix.rows * k);
  model.outputs.forEach((output, c) => {
    const eta = linearPredictor(design, Float64Array.of(output.intercept, ...output.weights));
    eta.forEach((v, r) => (values[r * k + c] = v));
  });
  return ok({ rows: matrix.rows, outputs: k, values });
}

/** Predictions: probabilities for binary, values for regression, the most probable class for multiclass. */
export function predictLinear(model: LinearModel, matrix: FeatureMatrix): Result<Float64Array> {
  const raw = linearRawScores(model, matrix);
  if (!raw.ok) return raw;
  const { values, outputs } = raw.value;
  if (model.objective === 'binary') return ok(values.map(sigmoid));
  if (model.objective === 'regression') return ok(values);
  return ok(Float64Array.from({ length: matrix.rows }, (_, r) => {
    let best = 0;
    for (let c = 1; c < outputs; c++) if (values[r * outputs + c] > values[r * outputs + best]) best = c;
    return best;
  }));
}

function linearPredictor(design: SparseRows, beta: Float64Array): Float64Array {
  const out = new Float64Array(design.rows);
  for (let r = 0; r < design.rows; r++) {
    let sum = 0;
    for (let k = design.start[r]; k < design.start[r + 1]; k++) sum += design.value[k] * beta[design.index[k]];
    out[r] = sum;
  }
  return out;
}

function columnMeans(design: SparseRows): Float64Array {
  const means = new Float64Array(design.width);
  for (let k = 0; k < design.index.length; k++) means[design.index[k]] += design.value[k];
  return means.map((sum) => sum / design.rows);
}

/** Each output's (mean, curvature) at row r given every output's linear predictor. */
type LinkAt = (etas: Float64Array[], r: number, c: number) => { mu: number; curvature: number };

function linkFor(objective: GbdtObjective, k: number): LinkAt {
  if (objective === 'regression') return (etas, r) => ({ mu: etas[0][r], curvature: 1 });
  if (objective === 'binary') {
    return (etas, r) => {
      const mu = sigmoid(etas[0][r]);
      return { mu, curvature: Math.max(mu * (1 - mu), 1e-12) };
    };
  }
  const scratch = new Float64Array(k);
  return (etas, r, c) => {
    for (let j = 0; j < k; j++) scratch[j] = etas[j][r];
    softmaxInto(scratch, scratch, 0, k);
    return { mu: scratch[c], curvature: Math.max(scratch[c] * (1 - scratch[c]), 1e-12) };
  };
}

function newtonFit(
  design: SparseRows,
  labels: Float64Array,
  rowWeights: Float64Array | null,
  p: LinearParams,
  k: number,
): Result<{ betas: Float64Array[]; iterations: number }> {
  const width = design.width;
  const betas = Array.from({ length: k }, () => new Float64Array(width));
  const etas: Float64Array[] = Array.from({ length: k }, () => new Float64Array(design.rows));
  const link = linkFor(p.objective, k);
  const { start, index, value } = design;
  for (let iteration = 1; iteration <= p.maxIterations; iteration++) {
    let largest = 0;
    for (let c = 0; c < k; c++) {
      const gradient = new Float64Array(width);
      const hessian = new Float64Array(width * width);
      for (let r = 0; r < design.rows; r++) {
        const rowWeight = rowWeights === null ? 1 : rowWeights[r];
        if (rowWeight === 0) continue;
        const { mu, curvature } = link(etas, r, c);
        const target = p.objective === 'multiclass' ? (labels[r] === c ? 1 : 0) : labels[r];
        const w = rowWeight * curvature;
        const residual = rowWeight * (mu - target);
        for (let a = start[r]; a < start[r + 1]; a++) {
          const ia = index[a];
          const wa = w * value[a];
          gradient[ia] += residual * value[a];
          for (let b = start[r]; b < start[r + 1]; b++) {
            const ib = index[b];
            // Only the lower triangle is read by the solver.
            if (ib <= ia) hessian[ia * width + ib] += wa * value[b];
          }
        }
      }
      const beta = betas[c];
      for (let j = 1; j < width; j++) {
        gradient[j] += p.l2 * beta[j];
        hessian[j * width + j] += p.l2;
      }
      const step = solveCholesky(hessian, gradient);
      if (step === null) return err('the inputs are collinear; use l2 > 0');
      for (let j = 0; j < width; j++) {
        beta[j] -= step[j];
        largest = Math.max(largest, Math.abs(step[j]));
      }
      etas[c] = linearPredictor(design, beta);
    }
    // Ridge is quadratic: one exact step; logistic stops once steps are negligible.
    if (p.objective === 'regression' || largest < 1e-8) return ok({ betas, iterations: iteration });
  }
  return ok({ betas, iterations: p.maxIterations });
}
