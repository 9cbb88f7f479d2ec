import { BIN_STRIDE, HistogramLayout } from './leaf-histogram';

/** Gradient statistics of a set of rows. */
export interface NodeStats {
  grad: number;
  hess: number;
  count: number;
}

/** The best way found to split one leaf, in bin space. */
export interface SplitCandidate {
  gain: number;
  feature: number;
  /** Numeric: value bins <= thresholdBin go left. */
  thresholdBin: number;
  /** Where missing values go (for categoricals: whether the missing bin is in the left set). */
  defaultLeft: boolean;
  /** Categorical: 1 for every bin that goes left; null for numeric splits. */
  leftBins: Uint8Array | null;
  left: NodeStats;
  right: NodeStats;
}

/** The parameters that shape split search. */
export interface SplitRules {
  lambdaL2: number;
  minDataInLeaf: number;
  minSumHessianInLeaf: number;
  minGainToSplit: number;
  maxCatThreshold: number;
  minDataPerCategory: number;
  catSmooth: number;
  catL2: number;
}

/** Feature facts the search needs: bin counts and which features are categorical. */
export interface SplitFeatures {
  numBins: Int32Array;
  categorical: Uint8Array;
}

/** Best split of a leaf over `features`, or null when no split gains more than minGainToSplit. */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  featureInfo: SplitFeatures,
  features: Int32Array,
  total: NodeStats,
  rules: SplitRules,
): SplitCandidate | null {
  const search = new SplitSearch(total, rules);
  for (let k = 0; k < features.length; k++) {
    const f = features[k];
    const start = layout.offsets[f] * BIN_STRIDE;
    if (featureInfo.categorical[f] === 1) searchCategorical(search, hist, start, featureInfo.numBins[f], f);
    else searchNumeric(search, hist, start, featureInfo.numBins[f], f);
  }
  return search.best;
}

/** Split gain of a leaf's rows into left and right, as in XGBoost/LightGBM (without the 1/2 factor). */
export function splitGain(left: NodeStats, right: NodeStats, childLambda: number, parentScore: number): number {
  return leafScore(left.grad, left.hess, childLambda) + leafScore(right.grad, right.hess, childLambda) - parentScore;
}

function leafScore(grad: number, hess: number, lambda: number): number {
  return (grad * grad) / (hess + lambda);
}

/** Running best over candidates; a later candidate must be strictly better, so ties keep the earlier one. */
class SplitSearch {
  best: SplitCandidate | null = null;
  private readonly parentScore: number;
  private readonly left: NodeStats = { grad: 0, hess: 0, count: 0 };
  private readonly right: NodeStats = { grad: 0, hess: 0, count: 0 };

  constructor(
    readonly total: NodeStats,
    readonly rules: SplitRules,
  ) {
    this.parentScore = leafScore(total.grad, total.hess, rules.lambdaL2);
  }

  /** Scores left = the given sums (right = the rest); returns whether it became the best, or 'stop' when right is too small. */
  offer(grad: number, hess: number, count: number, feature: number, childLambda: number): boolean | 'stop' {
    const { rules, total, left, right } = this;
    const rightCount = total.count - count;
    if (rightCount < rules.minDataInLeaf) return 'stop';
    if (count < rules.minDataInLeaf) return false;
    const rightHess = total.hess - hess;
    if (hess < rules.minSumHessianInLeaf || rightHess < rules.minSumHessianInLeaf) return false;
    left.grad = grad;
    left.hess = hess;
    left.count = count;
    right.grad = total.grad - grad;
    right.hess = rightHess;
    right.count = rightCount;
    const gain = splitGain(left, right, childLambda, this.parentScore);
    if (!(gain > rules.minGainToSplit) || (this.best !== null && !(gain > this.best.gain))) return false;
    this.best = {
      gain,
      feature,
      thresholdBin: -1,
      defaultLeft: false,
      leftBins: null,
      left: { ...left },
      right: { ...right },
    };
    return true;
  }
}

function searchNumeric(search: SplitSearch, hist: Float64Array, start: number, numBins: number, feature: number): void {
  const valueBins = numBins - 1;
  scanThresholds(search, hist, start, valueBins, feature, false);
  if (hist[start + valueBins * BIN_STRIDE + 2] > 0) scanThresholds(search, hist, start, valueBins, feature, true);
}

/** Tries every threshold with missing values on one side; the missing bin sits right after the value bins. */
function scanThresholds(
  search: SplitSearch,
  hist: Float64Array,
  start: number,
  valueBins: number,
  feature: number,
  missingLeft: boolean,
): void {
  const missing = start + valueBins * BIN_STRIDE;
  const missingCount = hist[missing + 2];
  let grad = missingLeft ? hist[missing] : 0;
  let hess = missingLeft ? hist[missing + 1] : 0;
  let count = missingLeft ? missingCount : 0;
  // With missing rows going right, "every value left" is a candidate too.
  const lastThreshold = !missingLeft && missingCount > 0 ? valueBins - 1 : valueBins - 2;
  for (let t = 0; t <= lastThreshold; t++) {
    const at = start + t * BIN_STRIDE;
    grad += hist[at];
    hess += hist[at + 1];
    count += hist[at + 2];
    const outcome = search.offer(grad, hess, count, feature, search.rules.lambdaL2);
    if (outcome === 'stop') break;
    if (outcome && search.best) {
      search.best.thresholdBin = t;
      // Training saw no missing values here: send them to the larger side, the likelier home of a typical row.
      search.best.defaultLeft = missingLeft || (missingCount === 0 && count >= search.total.count - count);
    }
  }
}

/**
 * LightGBM-style categorical split: order the categories with enough rows by grad/(hess + catSmooth), then try
 * every prefix (from either end, up to maxCatThreshold) as the left set. The missing bin takes part as a category,
 * so its direction is learned; rare categories and the "other" bin always go right.
 */
function searchCategorical(search: SplitSearch, hist: Float64Array, start: number, numBins: number, feature: number): void {
  const { rules } = search;
  const otherBin = numBins - 2;
  const eligible: number[] = [];
  for (let b = 0; b < numBins; b++) {
    if (b !== otherBin && hist[start + b * BIN_STRIDE + 2] >= rules.minDataPerCategory) eligible.push(b);
  }
  if (eligible.length === 0) return;
  const ratio = (b: number): number => {
    const at = start + b * BIN_STRIDE;
    return hist[at] / (hist[at + 1] + rules.catSmooth);
  };
  eligible.sort((a, b) => ratio(a) - ratio(b) || a - b);
  const lambda = rules.lambdaL2 + rules.catL2;
  const maxLeft = Math.min(rules.maxCatThreshold, eligible.length);
  for (const fromEnd of [false, true]) {
    let grad = 0;
    let hess = 0;
    let count = 0;
    for (let i = 0; i < maxLeft; i++) {
      const at = start + eligible[fromEnd ? eligible.length - 1 - i : i] * BIN_STRIDE;
      grad += hist[at];
      hess += hist[at + 1];
      count += hist[at + 2];
      const outcome = search.offer(grad, hess, count, feature, lambda);
      if (outcome === 'stop') break;
      if (outcome && search.best) {
        const leftBins = new Uint8Array(numBins);
        for (let j = 0; j <= i; j++) leftBins[eligible[fromEnd ? eligible.length - 1 - j : j]] = 1;
        search.best.leftBins = leftBins;
        search.best.defaultLeft = leftBins[numBins - 1] === 1;
      }
    }
  }
}
