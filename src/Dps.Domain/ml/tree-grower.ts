import { BinnedTree, goesLeft } from './binned-tree';
import { BinnedMatrix } from './histogram-binner';
import { HistogramLayout, buildHistogram, histogramLayout, subtractHistogram } from './leaf-histogram';
import { SplitCandidate, SplitFeatures, SplitRules, findBestSplit } from './split-finder';

/** Limits of one tree's growth, on top of the split rules. */
export interface GrowthLimits extends SplitRules {
  numLeaves: number;
  /** 0 means no depth limit. */
  maxDepth: number;
  learningRate: number;
}

/** Buffers reused by every tree of one training run, so growing a tree allocates little. */
export interface GrowContext {
  binned: BinnedMatrix;
  layout: HistogramLayout;
  featureInfo: SplitFeatures;
  limits: GrowthLimits;
  /** One histogram per leaf that can exist at once. */
  histograms: Float64Array[];
  rowOrder: Int32Array;
  partitionScratch: Int32Array;
  orderedGrad: Float64Array;
  orderedHess: Float64Array;
  /** Per bin of the feature being split: 1 when its rows go left (filled once per split). */
  goesLeftByBin: Uint8Array;
}

/** Allocates the buffers for growing trees of at most limits.numLeaves leaves on `binned`. */
export function createGrowContext(binned: BinnedMatrix, categorical: Uint8Array, limits: GrowthLimits): GrowContext {
  const layout = histogramLayout(binned);
  return {
    binned,
    layout,
    featureInfo: { numBins: binned.numBins, categorical },
    limits,
    histograms: Array.from({ length: limits.numLeaves }, () => new Float64Array(layout.length)),
    rowOrder: new Int32Array(binned.rows),
    partitionScratch: new Int32Array(binned.rows),
    orderedGrad: new Float64Array(binned.rows),
    orderedHess: new Float64Array(binned.rows),
    goesLeftByBin: new Uint8Array(binned.numBins.reduce((most, bins) => Math.max(most, bins), 0)),
  };
}

/** A grown tree and where its rows ended up: leaf l holds ctx.rowOrder[leafBegin[l] .. leafBegin[l] + leafCount[l]). */
export interface GrownTree {
  tree: BinnedTree;
  leafBegin: Int32Array;
  leafCount: Int32Array;
}

/**
 * Grows one tree leaf-wise (always splitting the leaf with the largest gain, as LightGBM does) on `rows`
 * using only `features`. Each split builds the histogram of the smaller child and derives the larger by subtraction.
 */
export function growTree(
  ctx: GrowContext,
  grad: Float64Array,
  hess: Float64Array,
  rows: Int32Array,
  features: Int32Array,
): GrownTree {
  const { limits, binned, layout, histograms } = ctx;
  const maxLeaves = limits.numLeaves;
  const tree = emptyTree(maxLeaves);
  const leafBegin = new Int32Array(maxLeaves);
  const leafCount = new Int32Array(maxLeaves);
  const leafGrad = new Float64Array(maxLeaves);
  const leafHess = new Float64Array(maxLeaves);
  const leafDepth = new Int32Array(maxLeaves);
  const leafSlot = new Int32Array(maxLeaves);
  const leafParent = new Int32Array(maxLeaves).fill(-1);
  const best: (SplitCandidate | null)[] = new Array<SplitCandidate | null>(maxLeaves).fill(null);

  const order = ctx.rowOrder;
  order.set(rows);
  const rowsOf = (leaf: number): Int32Array => order.subarray(leafBegin[leaf], leafBegin[leaf] + leafCount[leaf]);
  const build = (leaf: number): void =>
    buildHistogram(histograms[leafSlot[leaf]], layout, binned, features, rowsOf(leaf), grad, hess, ctx.orderedGrad, ctx.orderedHess);
  const evaluate = (leaf: number): SplitCandidate | null => {
    if (limits.maxDepth > 0 && leafDepth[leaf] >= limits.maxDepth) return null;
    if (leafCount[leaf] < 2 * limits.minDataInLeaf) return null;
    const total = { grad: leafGrad[leaf], hess: leafHess[leaf], count: leafCount[leaf] };
    return findBestSplit(histograms[leafSlot[leaf]], layout, ctx.featureInfo, features, total, limits);
  };

  leafCount[0] = rows.length;
  for (let i = 0; i < rows.length; i++) {
    leafGrad[0] += grad[rows[i]];
    leafHess[0] += hess[rows[i]];
  }
  build(0);
  best[0] = evaluate(0);

  let numLeaves = 1;
  while (numLeaves < maxLeaves) {
    let leaf = -1;
    for (let l = 0; l < numLeaves; l++) {
      const candidate = best[l];
      if (candidate !== null && (leaf < 0 || candidate.gain > (best[leaf] as SplitCandidate).gain)) leaf = l;
    }
    if (leaf < 0) break;
    const split = best[leaf] as SplitCandidate;
    const node = numLeaves - 1;
    const newLeaf = numLeaves;
    recordSplit(tree, node, split, leaf, newLeaf, leafParent[leaf]);

    const leftCount = partition(ctx, tree, node, leafBegin[leaf], leafCount[leaf]);
    leafBegin[newLeaf] = leafBegin[leaf] + leftCount;
    leafCount[newLeaf] = leafCount[leaf] - leftCount;
    leafCount[leaf] = leftCount;
    leafGrad[leaf] = split.left.grad;
    leafHess[leaf] = split.left.hess;
    leafGrad[newLeaf] = split.right.grad;
    leafHess[newLeaf] = split.right.hess;
    leafDepth[leaf] += 1;
    leafDepth[newLeaf] = leafDepth[leaf];
    leafParent[leaf] = node;
    leafParent[newLeaf] = node;
    numLeaves++;
    if (numLeaves === maxLeaves) break;

    // The leaves before this split held slots 0..newLeaf-1, so slot newLeaf is free.
    const parentSlot = leafSlot[leaf];
    const smaller = leafCount[leaf] <= leafCount[newLeaf] ? leaf : newLeaf;
    const larger = smaller === leaf ? newLeaf : leaf;
    leafSlot[smaller] = newLeaf;
    leafSlot[larger] = parentSlot;
    build(smaller);
    subtractHistogram(histograms[parentSlot], histograms[newLeaf], layout, binned, features);
    best[leaf] = evaluate(leaf);
    best[newLeaf] = evaluate(newLeaf);
  }

  for (let l = 0; l < numLeaves; l++) {
    tree.leafValue[l] = (-leafGrad[l] / (leafHess[l] + limits.lambdaL2)) * limits.learningRate;
    tree.leafCover[l] = leafCount[l];
  }
  return { tree: trimTree(tree, numLeaves), leafBegin, leafCount };
}

/** Adds each leaf's value to the scores of the rows the tree was grown on (cheaper than walking the tree). */
export function addLeafOutputs(ctx: GrowContext, grown: GrownTree, scores: Float64Array): void {
  const { tree, leafBegin, leafCount } = grown;
  for (let leaf = 0; leaf < tree.numLeaves; leaf++) {
    const value = tree.leafValue[leaf];
    const end = leafBegin[leaf] + leafCount[leaf];
    for (let i = leafBegin[leaf]; i < end; i++) scores[ctx.rowOrder[i]] += value;
  }
}

function emptyTree(maxLeaves: number): BinnedTree {
  const nodes = maxLeaves - 1;
  return {
    numLeaves: maxLeaves,
    feature: new Int32Array(nodes),
    thresholdBin: new Int32Array(nodes),
    defaultLeft: new Uint8Array(nodes),
    leftBins: new Array<Uint8Array | null>(nodes).fill(null),
    left: new Int32Array(nodes),
    right: new Int32Array(nodes),
    gain: new Float64Array(nodes),
    leafValue: new Float64Array(maxLeaves),
    leafCover: new Float64Array(maxLeaves),
  };
}

function recordSplit(tree: BinnedTree, node: number, split: SplitCandidate, leaf: number, newLeaf: number, parent: number): void {
  tree.feature[node] = split.feature;
  tree.thresholdBin[node] = split.thresholdBin;
  tree.defaultLeft[node] = split.defaultLeft ? 1 : 0;
  tree.leftBins[node] = split.leftBins;
  tree.gain[node] = split.gain;
  tree.left[node] = ~leaf;
  tree.right[node] = ~newLeaf;
  if (parent < 0) return;
  if (tree.left[parent] === ~leaf) tree.left[parent] = node;
  else tree.right[parent] = node;
}

/** Stable in-place partition of a leaf's rows by the node's split; returns how many went left. */
function partition(ctx: GrowContext, tree: BinnedTree, node: number, begin: number, count: number): number {
  const order = ctx.rowOrder;
  const rightRows = ctx.partitionScratch;
  const f = tree.feature[node];
  const column = ctx.binned.bins[f];
  const numBins = ctx.binned.numBins[f];
  // The split's direction per bin, decided once, so the row loop is one table lookup.
  const left = ctx.goesLeftByBin;
  for (let bin = 0; bin < numBins; bin++) left[bin] = goesLeft(tree, node, bin, numBins - 1) ? 1 : 0;
  let write = begin;
  let rightCount = 0;
  for (let i = begin; i < begin + count; i++) {
    const row = order[i];
    if (left[column[row]] === 1) order[write++] = row;
    else rightRows[rightCount++] = row;
  }
  order.set(rightRows.subarray(0, rightCount), write);
  return write - begin;
}

function trimTree(tree: BinnedTree, numLeaves: number): BinnedTree {
  const nodes = numLeaves - 1;
  return {
    numLeaves,
    feature: tree.feature.slice(0, nodes),
    thresholdBin: tree.thresholdBin.slice(0, nodes),
    defaultLeft: tree.defaultLeft.slice(0, nodes),
    leftBins: tree.leftBins.slice(0, nodes),
    left: tree.left.slice(0, nodes),
    right: tree.right.slice(0, nodes),
    gain: tree.gain.slice(0, nodes),
    leafValue: tree.leafValue.slice(0, numLeaves),
    leafCover: tree.leafCover.slice(0, numLeaves),
  };
}
