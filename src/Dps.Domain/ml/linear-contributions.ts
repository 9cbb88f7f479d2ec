import { Result, err } from '../result';
import { FeatureMatrix } from './feature-matrix';
import { bindToSchema } from './feature-schema';
import { encodeRows } from './linear-encoder';
import { LinearModel } from './linear-trainer';
import type { ContributionTable } from './contribution-table';

/**
 * Exact contributions of a linear model: per output and feature, the sum over the feature's encoded inputs of
 * weight x (input - its training mean). The expected value is the intercept plus weight x mean over all inputs,
 * so expected + contributions = the raw score.
 */
export function linearContributions(model: LinearModel, matrix: FeatureMatrix): Result<ContributionTable> {
  const columns = bindToSchema(model.encoder.schema, matrix);
  if (!columns.ok) return columns;
  const { inputs } = model.encoder;
  if (model.inputMeans.length !== inputs.length) return err('the linear model has no input means; retrain it to explain predictions');
  const features = model.encoder.schema.length;
  const k = model.outputs.length;
  const design = encodeRows(model.encoder, columns.value, matrix.rows);
  // Per output and feature: the weighted means its inputs are centred on.
  const centre = new Float64Array(k * features);
  const expected = new Float64Array(k);
  model.outputs.forEach((output, c) => {
    expected[c] = output.intercept;
    inputs.forEach((input, i) => {
      centre[c * features + input.feature] += output.weights[i] * model.inputMeans[i];
      expected[c] += output.weights[i] * model.inputMeans[i];
    });
  });
  const values = new Float64Array(matrix.rows * k * features);
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < k; c++) {
      const base = (r * k + c) * features;
      for (let f = 0; f < features; f++) values[base + f] = -centre[c * features + f];
      // Sparse inputs: index 0 is the intercept, input i sits at index i + 1.
      for (let at = design.start[r]; at < design.start[r + 1]; at++) {
        const i = design.index[at] - 1;
        if (i >= 0) values[base + inputs[i].feature] += model.outputs[c].weights[i] * design.value[at];
      }
    }
  }
  return { ok: true, value: { rows: matrix.rows, outputs: k, features: model.encoder.schema.map((f) => f.name), expected, values } };
}
