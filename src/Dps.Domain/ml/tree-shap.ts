import { Result, err, ok } from '../result';
import { GbdtModel, NODE_FEATURE, NODE_LEFT, NODE_STRIDE } from './gbdt-model';
import { childOf } from './tree-predictor';

/** A model prepared for TreeSHAP: node covers and each output's expected raw score. */
export interface TreeExplainer {
  model: GbdtModel;
  /** Training rows through each internal node (the sum of its leaves' covers). */
  nodeCover: Float64Array;
  /** Per output: init score plus each tree's cover-weighted mean leaf value, the raw score of "no feature known". */
  expected: Float64Array;
  /** Deepest leaf, which sizes the path buffers. */
  maxDepth: number;
}

/** Prepares a boosted-tree model for TreeSHAP; fails for models saved before leaf covers were kept. */
export function treeExplainer(model: GbdtModel): Result<TreeExplainer> {
  if (model.leafCover.length !== model.leafValue.length) {
    return err('this model was saved without leaf covers (format dps-gbdt/1); retrain it to explain predictions');
  }
  const nodes = model.nodeThreshold.length;
  const nodeCover = new Float64Array(nodes);
  const cover = (child: number): number => (child >= 0 ? nodeCover[child] : model.leafCover[~child]);
  // Children come after their parent, so a reverse sweep sees children first.
  for (let n = nodes - 1; n >= 0; n--) nodeCover[n] = cover(model.nodes[n * NODE_STRIDE + NODE_LEFT]) + cover(model.nodes[n * NODE_STRIDE + NODE_LEFT + 1]);
  const expected = Float64Array.from(model.initScores);
  let maxDepth = 0;
  model.treeRoots.forEach((root, t) => {
    let weighted = 0;
    const visit = (node: number, depth: number): void => {
      if (node < 0) {
        weighted += model.leafCover[~node] * model.leafValue[~node];
        maxDepth = Math.max(maxDepth, depth);
        return;
      }
      visit(model.nodes[node * NODE_STRIDE + NODE_LEFT], depth + 1);
      visit(model.nodes[node * NODE_STRIDE + NODE_LEFT + 1], depth + 1);
    };
    visit(root, 0);
    expected[t % model.numOutputs] += weighted / cover(root);
  });
  return ok({ model, nodeCover, expected, maxDepth });
}

/**
 * Exact path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2) of one row: adds each feature's contribution
 * to output k at phi[k * features + f]. expected[k] + the sum of output k's contributions is its raw score.
 */
export function treeShapRow(explainer: TreeExplainer, row: ArrayLike<number>, phi: Float64Array, path = shapPathFor(explainer)): void {
  const { model } = explainer;
  const features = model.schema.length;
  for (let t = 0; t < model.treeRoots.length; t++) {
    const root = model.treeRoots[t];
    if (root < 0) continue;
    recurse(explainer, row, phi, (t % model.numOutputs) * features, path, root, 0, 0, 1, 1, -1);
  }
}

/** Path buffers sized for an explainer's deepest tree; reuse one across the rows of a batch. */
export function shapPathFor(explainer: TreeExplainer): ShapPath {
  return new ShapPath(explainer.maxDepth + 2);
}

/** The unique-path buffers of every recursion level, one level after another. */
export class ShapPath {
  feature: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  weight: Float64Array;
  constructor(levels: number) {
    const size = (levels * (levels + 1)) / 2 + levels;
    this.feature = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.weight = new Float64Array(size);
  }
}

function recurse(
  explainer: TreeExplainer,
  row: ArrayLike<number>,
  phi: Float64Array,
  phiOffset: number,
  path: ShapPath,
  node: number,
  parentStart: number,
  depth: number,
  zeroFraction: number,
  oneFraction: number,
  feature: number,
): void {
  const { model, nodeCover } = explainer;
  // This level's path starts after the parent's depth + 1 elements; copy the parent's path there.
  const start = depth === 0 ? 0 : parentStart + depth;
  if (depth > 0) {
    path.feature.copyWithin(start, parentStart, parentStart + depth);
    path.zero.copyWithin(start, parentStart, parentStart + depth);
    path.one.copyWithin(start, parentStart, parentStart + depth);
    path.weight.copyWithin(start, parentStart, parentStart + depth);
  }
  extend(path, start, depth, zeroFraction, oneFraction, feature);
  if (node < 0) {
    const value = model.leafValue[~node];
    for (let i = 1; i <= depth; i++) {
      const w = unwoundSum(path, start, depth, i);
      phi[phiOffset + path.feature[start + i]] += w * (path.one[start + i] - path.zero[start + i]) * value;
    }
    return;
  }
  const split = model.nodes[node * NODE_STRIDE + NODE_FEATURE];
  const hot = childOf(model, node, row);
  const left = model.nodes[node * NODE_STRIDE + NODE_LEFT];
  const cold = hot === left ? model.nodes[node * NODE_STRIDE + NODE_LEFT + 1] : left;
  const cover = (child: number): number => (child >= 0 ? nodeCover[child] : model.leafCover[~child]);
  const total = nodeCover[node];
  let incomingZero = 1;
  let incomingOne = 1;
  let uniqueDepth = depth;
  let at = 0;
  while (at <= uniqueDepth && path.feature[start + at] !== split) at++;
  // A feature already on the path: undo its earlier split and carry its fractions into this one.
  if (at <= uniqueDepth) {
    incomingZero = path.zero[start + at];
    incomingOne = path.one[start + at];
    unwind(path, start, uniqueDepth, at);
    uniqueDepth--;
  }
  recurse(explainer, row, phi, phiOffset, path, hot, start, uniqueDepth + 1, (cover(hot) / total) * incomingZero, incomingOne, split);
  recurse(explainer, row, phi, phiOffset, path, cold, start, uniqueDepth + 1, (cover(cold) / total) * incomingZero, 0, split);
}

function extend(path: ShapPath, start: number, depth: number, zeroFraction: number, oneFraction: number, feature: number): void {
  const { weight } = path;
  path.feature[start + depth] = feature;
  path.zero[start + depth] = zeroFraction;
  path.one[start + depth] = oneFraction;
  weight[start + depth] = depth === 0 ? 1 : 0;
  for (let i = depth - 1; i >= 0; i--) {
    weight[start + i + 1] += (oneFraction * weight[start + i] * (i + 1)) / (depth + 1);
    weight[start + i] = (zeroFraction * weight[start + i] * (depth - i)) / (depth + 1);
  }
}

function unwind(path: ShapPath, start: number, depth: number, index: number): void {
  const { weight } = path;
  const one = path.one[start + index];
  const zero = path.zero[start + index];
  let next = weight[start + depth];
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const previous = weight[start + i];
      weight[start + i] = (next * (depth + 1)) / ((i + 1) * one);
      next = previous - (weight[start + i] * zero * (depth - i)) / (depth + 1);
    } else {
      weight[start + i] = (weight[start + i] * (depth + 1)) / (zero * (depth - i));
    }
  }
  for (let i = index; i < depth; i++) {
    path.feature[start + i] = path.feature[start + i + 1];
    path.zero[start + i] = path.zero[start + i + 1];
    path.one[start + i] = path.one[start + i + 1];
  }
}

function unwoundSum(path: ShapPath, start: number, depth: number, index: number): number {
  const { weight } = path;
  const one = path.one[start + index];
  const zero = path.zero[start + index];
  let next = weight[start + depth];
  let total = 0;
  for (let i = depth - 1; i >= 0; i--) {
    if (one !== 0) {
      const tmp = (next * (depth + 1)) / ((i + 1) * one);
      total += tmp;
      next = weight[start + i] - (tmp * zero * (depth - i)) / (depth + 1);
    } else {
      total += weight[start + i] / zero / ((depth - i) / (depth + 1));
    }
  }
  return total;
}
