import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import type { FeaturePipeline } from '../../../src/Dps.Domain/ml/feature-pipeline';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { ONNX_INPUT, ONNX_PROBABILITY_OUTPUT, ONNX_RAW_OUTPUT, exportOnnx, onnxInputRows } from '../../../src/Dps.Domain/ml/onnx-export';
import { TabularModel, applyLink, modelTask, rawScores } from '../../../src/Dps.Domain/ml/tabular-model';
import { binaryTask, multiclassTask, regressionTask } from './synthetic-data';

/** The matrix with every numeric value rounded to float32, as the ONNX input carries it. */
function float32Exact(matrix: FeatureMatrix): FeatureMatrix {
  return { ...matrix, columns: matrix.columns.map((c) => (c.kind === 'numeric' ? { ...c, values: c.values.map(Math.fround) } : c)) };
}

/** Runs the exported bytes in onnxruntime and returns the largest difference from DPS's own outputs. */
async function onnxGap(candidate: TabularModel, matrix: FeatureMatrix): Promise<{ raw: number; probability: number }> {
  const bytes = exportOnnx(candidate);
  if (!bytes.ok) throw new Error(bytes.error);
  const schema = candidate.kind === 'gbdt' ? candidate.model.schema : candidate.model.encoder.schema;
  const input = onnxInputRows(schema, matrix);
  if (!input.ok) throw new Error(input.error);
  const session = await ort.InferenceSession.create(bytes.value);
  const result = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', input.value, [matrix.rows, schema.length]) });
  const ours = rawScores(candidate, matrix);
  if (!ours.ok) throw new Error(ours.error);
  const theirs = result[ONNX_RAW_OUTPUT].data as Float32Array;
  const gap = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
    expect(a.length).toBe(b.length);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    return worst;
  };
  const task = modelTask(candidate);
  const probability = task === 'regression' ? 0 : gap(applyLink(task, ours.value), result[ONNX_PROBABILITY_OUTPUT].data as Float32Array);
  return { raw: gap(ours.value.values, theirs), probability };
}

const gbdt = (matrix: FeatureMatrix, labels: Float64Array, objective: 'binary' | 'multiclass' | 'regression'): TabularModel => {
  const trained = trainGbdt(matrix, labels, { objective, numRounds: 100, earlyStoppingRounds: 0, minDataPerCategory: 5 }, 4);
  if (!trained.ok) throw new Error(trained.error);
  return { kind: 'gbdt', model: trained.value.model };
};
const linear = (matrix: FeatureMatrix, labels: Float64Array, objective: 'binary' | 'multiclass' | 'regression'): TabularModel => {
  const trained = trainLinear(matrix, labels, { objective });
  if (!trained.ok) throw new Error(trained.error);
  return { kind: 'linear', model: trained.value };
};

describe('ONNX export scored by onnxruntime matches DPS to 1e-5', () => {
  const binary = binaryTask(2000, 1);
  const binaryTest = float32Exact(binaryTask(1000, 2).matrix);
  it('binary GBDT with categorical set splits and missing values', async () => {
    const model = gbdt(binary.matrix, binary.labels, 'binary');
    expect(model.kind === 'gbdt' && Array.from(model.model.nodes).some((v, i) => i % 4 === 1 && (v & 2) !== 0)).toBe(true);
    const gap = await onnxGap(model, binaryTest);
    expect(gap.raw).toBeLessThan(1e-5);
    expect(gap.probability).toBeLessThan(1e-5);
  });
  it('carries the schema and, when given, the feature pipeline as metadata', async () => {
    const model = linear(binary.matrix, binary.labels, 'binary');
    const pipeline: FeaturePipeline = { format: 'dps-feature-pipeline/1', task: 'binary', label: { column: 'y', positiveClass: '1' }, features: [], excluded: [] };
    const bytes = exportOnnx(model, { pipeline });
    if (!bytes.ok) throw new Error(bytes.error);
    const text = Buffer.from(bytes.value).toString('latin1');
    expect(text).toContain('dps.pipeline');
    expect(text).toContain('"positiveClass":"1"');
    expect(text).toContain('"name":"color","kind":"categorical","categories":["a","b","c","d","e","f"]');
  });
  it('binary linear baseline', async () => {
    const gap = await onnxGap(linear(binary.matrix, binary.labels, 'binary'), binaryTest);
    expect(gap.raw).toBeLessThan(1e-5);
    expect(gap.probability).toBeLessThan(1e-5);
  });
  it('multiclass GBDT and multinomial baseline', async () => {
    const train = multiclassTask(2000, 3);
    const test = float32Exact(multiclassTask(800, 4).matrix);
    for (const model of [gbdt(train.matrix, train.labels, 'multiclass'), linear(train.matrix, train.labels, 'multiclass')]) {
      const gap = await onnxGap(model, test);
      expect(gap.raw).toBeLessThan(1e-5);
      expect(gap.probability).toBeLessThan(1e-5);
    }
  });
  it('regression GBDT and ridge baseline', async () => {
    const train = regressionTask(2000, 5);
    const test = float32Exact(regressionTask(800, 6).matrix);
    for (const model of [gbdt(train.matrix, train.labels, 'regression'), linear(train.matrix, train.labels, 'regression')]) {
      expect((await onnxGap(model, test)).raw).toBeLessThan(1e-5);
    }
  });
});
