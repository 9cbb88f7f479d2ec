import { BinnedTree } from './binned-tree';
import { FeatureSchema } from './feature-schema';
import { GbdtObjective } from './gbdt-params';
import { FeatureBinning } from './histogram-binner';

/** Node flag: missing values go left. */
export const FLAG_DEFAULT_LEFT = 1;
/** Node flag: categorical split (category in the node's bitset goes left). */
export const FLAG_CATEGORICAL = 2;

/** Int32 slots per node in `nodes`: feature, flags, left child, right child (one cache line holds four nodes). */
export const NODE_STRIDE = 4;
/** Slot of the feature index within a node. */
export const NODE_FEATURE = 0;
/** Slot of the flags within a node. */
export const NODE_FLAGS = 1;
/** Slot of the left child within a node; the right child follows it. */
export const NODE_LEFT = 2;

/**
 * A trained boosted-tree model, flattened into typed arrays for fast prediction. All trees share the node and
 * leaf arrays. Node n occupies nodes[n * NODE_STRIDE ..]: a child >= 0 is a node index, a child < 0 a leaf
 * (~child indexes leafValue). Numeric nodes send value <= nodeThreshold[n] left; categorical nodes send codes
 * whose bit is set in catBits[catStart[n]..catStart[n+1]) left.
 */
export interface GbdtModel {
  objective: GbdtObjective;
  /** Raw scores per row: the class count for multiclass, else 1. Tree t adds to output t % numOutputs. */
  numOutputs: number;
  /** Starting raw score of each output. */
  initScores: Float64Array;
  /** The columns rows must follow, in order; categorical codes refer to these category lists. */
  schema: FeatureSchema[];
  /** The training set's binning, kept for lineage and drift checks. */
  binning: FeatureBinning[];
  /** Per tree, its root: a node index, or ~leaf for a one-leaf tree. */
  treeRoots: Int32Array;
  nodes: Int32Array;
  nodeThreshold: Float64Array;
  /** Loss reduction of each split, for gain importance. */
  nodeGain: Float64Array;
  catStart: Int32Array;
  catBits: Uint32Array;
  leafValue: Float64Array;
  /** Training rows per leaf, for TreeSHAP; empty in models saved before covers were kept. */
  leafCover: Float64Array;
}

/** Threshold of a numeric split that sends every non-missing value left. */
export const ALL_VALUES_LEFT = Number.MAX_VALUE;

/** Flattens bin-space trees into a model, turning bin thresholds into raw values and bin sets into category bitsets. */
export function modelFromTrees(
  objective: GbdtObjective,
  initScores: Float64Array,
  schema: FeatureSchema[],
  binning: FeatureBinning[],
  trees: BinnedTree[],
): GbdtModel {
  const totalNodes = trees.reduce((sum, tree) => sum + tree.numLeaves - 1, 0);
  const totalLeaves = trees.reduce((sum, tree) => sum + tree.numLeaves, 0);
  const model: GbdtModel = {
    objective,
    numOutputs: initScores.length,
    initScores: Float64Array.from(initScores),
    schema,
    binning,
    treeRoots: new Int32Array(trees.length),
    nodes: new Int32Array(NODE_STRIDE * totalNodes),
    nodeThreshold: new Float64Array(totalNodes),
    nodeGain: new Float64Array(totalNodes),
    catStart: new Int32Array(totalNodes + 1),
    catBits: new Uint32Array(0),
    leafValue: new Float64Array(totalLeaves),
    leafCover: new Float64Array(totalLeaves),
  };
  const bits: number[] = [];
  let nodeBase = 0;
  let leafBase = 0;
  trees.forEach((tree, t) => {
    const shift = (child: number): number => (child >= 0 ? child + nodeBase : ~(~child + leafBase));
    model.treeRoots[t] = tree.numLeaves === 1 ? ~leafBase : nodeBase;
    for (let n = 0; n < tree.numLeaves - 1; n++) {
      const at = nodeBase + n;
      const f = tree.feature[n];
      const featureBinning = binning[f];
      const slot = at * NODE_STRIDE;
      model.nodes[slot + NODE_FEATURE] = f;
      model.nodes[slot + NODE_LEFT] = shift(tree.left[n]);
      model.nodes[slot + NODE_LEFT + 1] = shift(tree.right[n]);
      model.nodeGain[at] = tree.gain[n];
      const leftBins = tree.leftBins[n];
      let flags = tree.defaultLeft[n] === 1 ? FLAG_DEFAULT_LEFT : 0;
      if (leftBins !== null && featureBinning.kind === 'categorical') {
        flags |= FLAG_CATEGORICAL;
        bits.push(...categoryBitset(leftBins, featureBinning.binCategories));
      } else if (featureBinning.kind === 'numeric') {
        const bound = featureBinning.upperBounds[tree.thresholdBin[n]];
        model.nodeThreshold[at] = bound === undefined ? ALL_VALUES_LEFT : bound;
      }
      model.nodes[slot + NODE_FLAGS] = flags;
      model.catStart[at + 1] = bits.length;
    }
    model.leafValue.set(tree.leafValue, leafBase);
    model.leafCover.set(tree.leafCover, leafBase);
    nodeBase += tree.numLeaves - 1;
    leafBase += tree.numLeaves;
  });
  model.catBits = Uint32Array.from(bits);
  return model;
}

function categoryBitset(leftBins: Uint8Array, binCategories: number[]): number[] {
  const codes = binCategories.filter((_, bin) => leftBins[bin] === 1);
  const words = new Array<number>(codes.reduce((max, code) => Math.max(max, (code >>> 5) + 1), 0)).fill(0);
  for (const code of codes) words[code >>> 5] = (words[code >>> 5] | (1 << (code & 31))) >>> 0;
  return words;
}
