import { Result, err, ok } from '../result';
import { FeatureMatrix } from './feature-matrix';
import type { FeaturePipeline } from './feature-pipeline';
import { FeatureSchema, bindToSchema } from './feature-schema';
import { FLAG_CATEGORICAL, FLAG_DEFAULT_LEFT, GbdtModel, NODE_FEATURE, NODE_FLAGS, NODE_LEFT, NODE_STRIDE } from './gbdt-model';
import { LinearModel } from './linear-trainer';
import { ONNX_FLOAT, ONNX_INT64, OnnxGraph } from './onnx-graph';
import { TabularModel } from './tabular-model';

/** Name of the ONNX graph's input: float [N, features], one column per schema feature. */
export const ONNX_INPUT = 'features';
/** Raw scores [N, outputs]: log-odds (binary), class logits (multiclass) or the prediction (regression). */
export const ONNX_RAW_OUTPUT = 'raw_scores';
/** Binary: positive-class probability [N, 1]; multiclass: class probabilities [N, classes]. Absent for regression. */
export const ONNX_PROBABILITY_OUTPUT = 'probabilities';

/**
 * Exports a model as ONNX bytes. The feature pipeline is a documented pre-step (docs/training.md): the input
 * is float [N, F] in schema order, numbers as they are (dates as days since epoch, booleans 0/1), categoricals
 * as their code in the schema's category list, and NaN (or a negative code) for missing. Boosted trees
 * become an ai.onnx.ml TreeEnsembleRegressor (one target per class) whose categorical set splits read
 * membership columns computed in the graph; the linear model becomes a standardise / one-hot / MatMul graph.
 * Both end in Sigmoid (binary) or Softmax (multiclass). The schema is in the metadata as `dps.schema`; with
 * `pipeline`, the encoding the pre-step needs (feature sources, category lists, label classes) travels with
 * the graph as `dps.pipeline`, so a consumer can rebuild the input from raw records.
 */
export function exportOnnx(candidate: TabularModel, options: { producerVersion?: string; pipeline?: FeaturePipeline } = {}): Result<Uint8Array> {
  const schema = candidate.kind === 'gbdt' ? candidate.model.schema : candidate.model.encoder.schema;
  const outputs = candidate.kind === 'gbdt' ? candidate.model.numOutputs : candidate.model.outputs.length;
  if (schema.length === 0) return err('the model has no features to export');
  const graph = new OnnxGraph();
  graph.input(ONNX_INPUT, ONNX_FLOAT, ['N', schema.length]);
  const raw = candidate.kind === 'gbdt' ? treeEnsembleGraph(graph, candidate.model) : linearGraph(graph, candidate.model);
  graph.output(ONNX_RAW_OUTPUT, ONNX_FLOAT, ['N', outputs]);
  const objective = candidate.model.objective;
  if (objective === 'binary') graph.output(graph.node('Sigmoid', [raw], [ONNX_PROBABILITY_OUTPUT]), ONNX_FLOAT, ['N', 1]);
  if (objective === 'multiclass') graph.output(graph.node('Softmax', [raw], [ONNX_PROBABILITY_OUTPUT], [{ name: 'axis', int: 1 }]), ONNX_FLOAT, ['N', outputs]);
  return ok(
    graph.encode({
      graphName: `dps-${candidate.kind}-${objective}`,
      producerVersion: options.producerVersion ?? 'dev',
      opsets: { '': 17, 'ai.onnx.ml': 3 },
      metadata: {
        'dps.schema': JSON.stringify(schema),
        'dps.objective': objective,
        'dps.model': candidate.kind,
        ...(options.pipeline ? { 'dps.pipeline': JSON.stringify(options.pipeline) } : {}),
      },
    }),
  );
}

/** The ONNX input for a matrix: float32 [rows, features] in schema order, missing as NaN (the documented pre-step). */
export function onnxInputRows(schema: FeatureSchema[], matrix: FeatureMatrix): Result<Float32Array> {
  const bound = bindToSchema(schema, matrix);
  if (!bound.ok) return bound;
  const out = new Float32Array(matrix.rows * schema.length);
  bound.value.forEach((column, f) => {
    for (let r = 0; r < matrix.rows; r++) {
      const v = column.values[r];
      out[r * schema.length + f] = column.kind === 'categorical' && v < 0 ? NaN : v;
    }
  });
  return ok(out);
}

/** Raw scores of the tree ensemble; categorical set splits use extra membership columns appended to the input. */
function treeEnsembleGraph(graph: OnnxGraph, model: GbdtModel): string {
  const features = model.schema.length;
  const memberships = categoricalSplits(model);
  const input = memberships.length === 0 ? ONNX_INPUT : withMembershipColumns(graph, model.schema, memberships);
  const column = new Map(memberships.map((m, j) => [m.node, features + j]));
  const nodes = { treeIds: [] as number[], nodeIds: [] as number[], featureIds: [] as number[], modes: [] as string[], values: [] as number[], trueIds: [] as number[], falseIds: [] as number[], missingTrue: [] as number[] };
  const targets = { treeIds: [] as number[], nodeIds: [] as number[], ids: [] as number[], weights: [] as number[] };
  model.treeRoots.forEach((root, tree) => {
    // Node ids count from 0 per tree in visiting order (pre-order), as TreeEnsembleRegressor requires.
    let nextId = 0;
    const visit = (node: number): number => {
      const id = nextId++;
      const at = nodes.nodeIds.length;
      nodes.treeIds.push(tree);
      nodes.nodeIds.push(id);
      if (node < 0) {
        nodes.featureIds.push(0);
        nodes.modes.push('LEAF');
        nodes.values.push(0);
        nodes.trueIds.push(0);
        nodes.falseIds.push(0);
        nodes.missingTrue.push(0);
        targets.treeIds.push(tree);
        targets.nodeIds.push(id);
        targets.ids.push(tree % model.numOutputs);
        targets.weights.push(model.leafValue[~node]);
        return id;
      }
      const slot = node * NODE_STRIDE;
      const flags = model.nodes[slot + NODE_FLAGS];
      const defaultLeft = (flags & FLAG_DEFAULT_LEFT) !== 0;
      const categorical = (flags & FLAG_CATEGORICAL) !== 0;
      // Numeric: x <= t goes left (true). Categorical: membership <= 0.5 (not in the set) goes right (true).
      nodes.featureIds.push(categorical ? (column.get(node) as number) : model.nodes[slot + NODE_FEATURE]);
      nodes.modes.push('BRANCH_LEQ');
      nodes.values.push(categorical ? 0.5 : float32AtMost(model.nodeThreshold[node]));
      nodes.missingTrue.push(categorical ? (defaultLeft ? 0 : 1) : defaultLeft ? 1 : 0);
      nodes.trueIds.push(0);
      nodes.falseIds.push(0);
      const left = visit(model.nodes[slot + NODE_LEFT]);
      const right = visit(model.nodes[slot + NODE_LEFT + 1]);
      nodes.trueIds[at] = categorical ? right : left;
      nodes.falseIds[at] = categorical ? left : right;
      return id;
    };
    visit(root);
  });
  return graph.node(
    'TreeEnsembleRegressor',
    [input],
    [ONNX_RAW_OUTPUT],
    [
      { name: 'n_targets', int: model.numOutputs },
      { name: 'aggregate_function', string: 'SUM' },
      { name: 'post_transform', string: 'NONE' },
      { name: 'base_values', floats: Array.from(model.initScores) },
      { name: 'nodes_treeids', ints: nodes.treeIds },
      { name: 'nodes_nodeids', ints: nodes.nodeIds },
      { name: 'nodes_featureids', ints: nodes.featureIds },
      { name: 'nodes_modes', strings: nodes.modes },
      { name: 'nodes_values', floats: nodes.values },
      { name: 'nodes_truenodeids', ints: nodes.trueIds },
      { name: 'nodes_falsenodeids', ints: nodes.falseIds },
      { name: 'nodes_missing_value_tracks_true', ints: nodes.missingTrue },
      { name: 'target_treeids', ints: targets.treeIds },
      { name: 'target_nodeids', ints: targets.nodeIds },
      { name: 'target_ids', ints: targets.ids },
      { name: 'target_weights', floats: targets.weights },
    ],
    'ai.onnx.ml',
  );
}

/** A categorical split: its node, feature and the codes that go left. */
interface MembershipSplit {
  node: number;
  feature: number;
  codes: Set<number>;
}

function categoricalSplits(model: GbdtModel): MembershipSplit[] {
  const splits: MembershipSplit[] = [];
  for (let node = 0; node < model.nodeThreshold.length; node++) {
    if ((model.nodes[node * NODE_STRIDE + NODE_FLAGS] & FLAG_CATEGORICAL) === 0) continue;
    const codes = new Set<number>();
    for (let word = model.catStart[node]; word < model.catStart[node + 1]; word++) {
      for (let bit = 0; bit < 32; bit++) if ((model.catBits[word] >>> bit) & 1) codes.add((word - model.catStart[node]) * 32 + bit);
    }
    splits.push({ node, feature: model.nodes[node * NODE_STRIDE + NODE_FEATURE], codes });
  }
  return splits;
}

/**
 * Appends one column per categorical split: 1 when the row's code is in the split's left set, else 0, and NaN
 * when the code is missing (NaN or negative) so the tree's missing-value direction applies.
 * One-hot of every (feature, code) pair (Gather + Equal) times a pair-to-split 0/1 matrix (MatMul).
 */
function withMembershipColumns(graph: OnnxGraph, schema: FeatureSchema[], splits: MembershipSplit[]): string {
  const pairFeature: number[] = [];
  const pairCode: number[] = [];
  const used = [...new Set(splits.map((s) => s.feature))].sort((a, b) => a - b);
  for (const f of used) {
    const feature = schema[f];
    const count = feature.kind === 'categorical' ? feature.categories.length : 0;
    for (let code = 0; code < count; code++) {
      pairFeature.push(f);
      pairCode.push(code);
    }
  }
  const membership = new Float32Array(pairFeature.length * splits.length);
  pairFeature.forEach((f, p) => splits.forEach((split, j) => (membership[p * splits.length + j] = split.feature === f && split.codes.has(pairCode[p]) ? 1 : 0)));
  const gathered = graph.node('Gather', [ONNX_INPUT, graph.constant('pair_feature', ONNX_INT64, [pairFeature.length], pairFeature)], ['pair_values'], [{ name: 'axis', int: 1 }]);
  const equal = graph.node('Equal', [gathered, graph.constant('pair_code', ONNX_FLOAT, [pairCode.length], pairCode)], ['pair_equal']);
  const onehot = graph.node('Cast', [equal], ['pair_onehot'], [{ name: 'to', int: ONNX_FLOAT }]);
  const member = graph.node('MatMul', [onehot, graph.constant('pair_to_split', ONNX_FLOAT, [pairFeature.length, splits.length], membership)], ['split_member']);
  const splitValues = graph.node('Gather', [ONNX_INPUT, graph.constant('split_feature', ONNX_INT64, [splits.length], splits.map((s) => s.feature))], ['split_values'], [{ name: 'axis', int: 1 }]);
  const missing = missingMask(graph, splitValues, 'split');
  const nan = graph.constant('nan', ONNX_FLOAT, [], [NaN]);
  const columns = graph.node('Where', [missing, nan, member], ['split_columns']);
  return graph.node('Concat', [ONNX_INPUT, columns], ['features_with_splits'], [{ name: 'axis', int: 1 }]);
}

/** Boolean mask: NaN or negative (a missing category code). */
function missingMask(graph: OnnxGraph, values: string, prefix: string): string {
  const isNan = graph.node('IsNaN', [values], [`${prefix}_isnan`]);
  const negative = graph.node('Less', [values, graph.constant(`${prefix}_zero`, ONNX_FLOAT, [], [0])], [`${prefix}_negative`]);
  return graph.node('Or', [isNan, negative], [`${prefix}_missing`]);
}

/** Raw scores of the linear model: standardised numerics, missing indicators and one-hot categories, each times its weights. */
function linearGraph(graph: OnnxGraph, model: LinearModel): string {
  const { schema, inputs } = model.encoder;
  const f = schema.length;
  const k = model.outputs.length;
  const mean = new Float32Array(f);
  const scale = new Float32Array(f).fill(1);
  const numericWeights = new Float32Array(f * k);
  const missingWeights = new Float32Array(f * k);
  const pairFeature: number[] = [];
  const pairCode: number[] = [];
  const pairWeights: number[] = [];
  inputs.forEach((input, i) => {
    const weightsOf = (c: number): number => model.outputs[c].weights[i];
    if (input.kind === 'standardised') {
      mean[input.feature] = input.mean;
      scale[input.feature] = input.scale;
      for (let c = 0; c < k; c++) numericWeights[input.feature * k + c] = weightsOf(c);
    } else if (input.kind === 'missing') {
      for (let c = 0; c < k; c++) missingWeights[input.feature * k + c] = weightsOf(c);
    } else {
      pairFeature.push(input.feature);
      pairCode.push(input.code);
      for (let c = 0; c < k; c++) pairWeights.push(weightsOf(c));
    }
  });
  const categorical = schema.map((feature) => (feature.kind === 'categorical' ? 1 : 0));
  // Missing: NaN anywhere, or a negative code in a categorical column.
  const isNan = graph.node('IsNaN', [ONNX_INPUT], ['input_isnan']);
  const negative = graph.node('Less', [ONNX_INPUT, graph.constant('zero', ONNX_FLOAT, [], [0])], ['input_negative']);
  const categoricalMask = graph.node('Cast', [graph.constant('categorical_columns', ONNX_FLOAT, [1, f], categorical)], ['categorical_mask'], [{ name: 'to', int: 9 }]);
  const negativeCode = graph.node('And', [negative, categoricalMask], ['negative_code']);
  const missing = graph.node('Or', [isNan, negativeCode], ['input_missing']);
  const standardised = graph.node('Div', [graph.node('Sub', [ONNX_INPUT, graph.constant('mean', ONNX_FLOAT, [1, f], mean)], ['centred']), graph.constant('scale', ONNX_FLOAT, [1, f], scale)], ['standardised']);
  // Missing numerics sit at the mean (0); categorical columns carry no numeric weight, so zero them too.
  const numericPart = graph.node('Where', [missing, graph.constant('zero_value', ONNX_FLOAT, [], [0]), standardised], ['standardised_or_zero']);
  let sum = graph.node('MatMul', [numericPart, graph.constant('numeric_weights', ONNX_FLOAT, [f, k], numericWeights)], ['numeric_scores']);
  const missingFloat = graph.node('Cast', [missing], ['missing_indicator'], [{ name: 'to', int: ONNX_FLOAT }]);
  const missingScores = graph.node('MatMul', [missingFloat, graph.constant('missing_weights', ONNX_FLOAT, [f, k], missingWeights)], ['missing_scores']);
  sum = graph.node('Add', [sum, missingScores], ['numeric_and_missing']);
  if (pairFeature.length > 0) {
    const gathered = graph.node('Gather', [ONNX_INPUT, graph.constant('onehot_feature', ONNX_INT64, [pairFeature.length], pairFeature)], ['onehot_values'], [{ name: 'axis', int: 1 }]);
    const equal = graph.node('Equal', [gathered, graph.constant('onehot_code', ONNX_FLOAT, [pairCode.length], pairCode)], ['onehot_equal']);
    const onehot = graph.node('Cast', [equal], ['onehot'], [{ name: 'to', int: ONNX_FLOAT }]);
    const categoryScores = graph.node('MatMul', [onehot, graph.constant('onehot_weights', ONNX_FLOAT, [pairFeature.length, k], pairWeights)], ['category_scores']);
    sum = graph.node('Add', [sum, categoryScores], ['linear_terms']);
  }
  return graph.node('Add', [sum, graph.constant('intercepts', ONNX_FLOAT, [k], model.outputs.map((o) => o.intercept))], [ONNX_RAW_OUTPUT]);
}

/** The largest float32 not above `value`, so float32 inputs compare with it exactly as with the double threshold. */
function float32AtMost(value: number): number {
  const rounded = Math.fround(value);
  if (rounded <= value) return rounded;
  const bits = new DataView(new ArrayBuffer(4));
  bits.setFloat32(0, rounded);
  const word = bits.getUint32(0);
  // One step towards -infinity: down in magnitude for positives, up for negatives; +0 steps to the smallest negative.
  bits.setUint32(0, rounded > 0 ? word - 1 : rounded === 0 ? 0x80000001 : word + 1);
  return bits.getFloat32(0);
}
