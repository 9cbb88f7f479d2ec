import { Result, err, ok } from '../result';
import { solveCholesky } from './cholesky-solver';
import { FeatureMatrix, checkMatrix } from './feature-matrix';
import { bindToSchema, schemaOf } from './feature-schema';
import { checkLabels, sigmoid } from './gbdt-objective';
import { GbdtObjective } from './gbdt-params';
import { LinearEncoder, SparseRows, encodeRows, fitLinearEncoder } from './linear-encoder';

/** Settings of the linear baseline. */
export interface LinearParams {
  /** binary: logistic regression; regression: ridge regression. */
  objective: GbdtObjective;
  /** L2 penalty on the weights (not the intercept), on standardised inputs. */
  l2: number;
  /** Categories one-hot encoded per feature (the most frequent); the rest share the zero baseline. */
  maxCategories: number;
  /** Most Newton steps for logistic regression (ridge needs one). */
  maxIterations: number;
}

/** A fitted linear model: plain JSON data. */
export interface LinearModel {
  format: 'dps-linear/1';
  objective: GbdtObjective;
  encoder: LinearEncoder;
  intercept: number;
  /** One weight per encoder input. */
  weights: number[];
  iterations: number;
}

/**
 * Fits logistic or ridge regression by Newton's method (IRLS) on standardised, one-hot inputs. The solve is
 * exact and ordered, so the same data gives the same weights.
 */
export function trainLinear(
  matrix: FeatureMatrix,
  labels: Float64Array,
  params: Partial<LinearParams> & Pick<LinearParams, 'objective'>,
): Result<LinearModel> {
  const p: LinearParams = { l2: 1, maxCategories: 100, maxIterations: 25, ...params };
  if (!(p.l2 >= 0) || !(p.maxCategories >= 1) || !(p.maxIterations >= 1)) return err('l2 must be >= 0, maxCategories and maxIterations >= 1');
  const checked = checkMatrix(matrix, labels);
  if (!checked.ok) return checked;
  const labelCheck = checkLabels(p.objective, labels, true);
  if (!labelCheck.ok) return labelCheck;
  const schema = schemaOf(matrix);
  const columns = bindToSchema(schema, matrix);
  if (!columns.ok) return columns;
  const encoder = fitLinearEncoder(schema, columns.value, p.maxCategories);
  const design = encodeRows(encoder, columns.value, matrix.rows);
  const fitted = newtonFit(design, labels, p);
  if (!fitted.ok) return fitted;
  const beta = fitted.value.beta;
  return ok({
    format: 'dps-linear/1',
    objective: p.objective,
    encoder,
    intercept: beta[0],
    weights: Array.from(beta.subarray(1)),
    iterations: fitted.value.iterations,
  });
}

/** Predictions (probabilities for binary) for a matrix whose columns are matched to the model by name. */
export function predictLinear(model: LinearModel, matrix: FeatureMatrix): Result<Float64Array> {
  const columns = bindToSchema(model.encoder.schema, matrix);
  if (!columns.ok) return columns;
  const design = encodeRows(model.encoder, columns.value, matrix.rows);
  const beta = Float64Array.of(model.intercept, ...model.weights);
  const out = linearPredictor(design, beta);
  return ok(model.objective === 'binary' ? out.map(sigmoid) : out);
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

function newtonFit(design: SparseRows, labels: Float64Array, p: LinearParams): Result<{ beta: Float64Array; iterations: number }> {
  const width = design.width;
  const beta = new Float64Array(width);
  const { start, index, value } = design;
  for (let iteration = 1; iteration <= p.maxIterations; iteration++) {
    const eta = linearPredictor(design, beta);
    const gradient = new Float64Array(width);
    const hessian = new Float64Array(width * width);
    for (let r = 0; r < design.rows; r++) {
      const mu = p.objective === 'binary' ? sigmoid(eta[r]) : eta[r];
      const w = p.objective === 'binary' ? Math.max(mu * (1 - mu), 1e-12) : 1;
      const residual = mu - labels[r];
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
    for (let j = 1; j < width; j++) {
      gradient[j] += p.l2 * beta[j];
      hessian[j * width + j] += p.l2;
    }
    const step = solveCholesky(hessian, gradient);
    if (step === null) return err('the inputs are collinear; use l2 > 0');
    let largest = 0;
    for (let j = 0; j < width; j++) {
      beta[j] -= step[j];
      largest = Math.max(largest, Math.abs(step[j]));
    }
    // Ridge is quadratic: one exact step; logistic stops once steps are negligible.
    if (p.objective === 'regression' || largest < 1e-8) return ok({ beta, iterations: iteration });
  }
  return ok({ beta, iterations: p.maxIterations });
}
