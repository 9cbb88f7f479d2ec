import { BinnedMatrix } from './histogram-binner';

/**
 * A tree as grown, in bin space, laid out like LightGBM's: internal nodes 0..numLeaves-2, children >= 0 are
 * nodes and children < 0 are leaves (~child is the leaf index). A one-leaf tree has no nodes.
 */
export interface BinnedTree {
  numLeaves: number;
  feature: Int32Array;
  thresholdBin: Int32Array;
  defaultLeft: Uint8Array;
  /** Per node: 1 for every bin going left (categorical splits), null for numeric splits. */
  leftBins: (Uint8Array | null)[];
  left: Int32Array;
  right: Int32Array;
  gain: Float64Array;
  /** Leaf outputs with the learning rate already applied. */
  leafValue: Float64Array;
  /** Training rows that reached each leaf (the cover path-dependent TreeSHAP weighs paths by). */
  leafCover: Float64Array;
}

/** Whether a row with this bin goes left at `node`. */
export function goesLeft(tree: BinnedTree, node: number, bin: number, missingBin: number): boolean {
  const leftBins = tree.leftBins[node];
  if (leftBins !== null) return leftBins[bin] === 1;
  return bin === missingBin ? tree.defaultLeft[node] === 1 : bin <= tree.thresholdBin[node];
}

/** Adds the tree's output to every row's score. */
export function addTreeOutput(tree: BinnedTree, binned: BinnedMatrix, scores: Float64Array): void {
  if (tree.numLeaves === 1) {
    const value = tree.leafValue[0];
    for (let r = 0; r < binned.rows; r++) scores[r] += value;
    return;
  }
  for (let r = 0; r < binned.rows; r++) {
    let node = 0;
    while (node >= 0) {
      const f = tree.feature[node];
      node = goesLeft(tree, node, binned.bins[f][r], binned.numBins[f] - 1) ? tree.left[node] : tree.right[node];
    }
    scores[r] += tree.leafValue[~node];
  }
}
