/** One bin of a reliability diagram: predictions in [lower, upper) (the last bin includes 1). */
export interface CalibrationBin {
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability in the bin; NaN when empty. */
  meanPredicted: number;
  /** Share of positives in the bin; NaN when empty. */
  observedRate: number;
}

/** Reliability diagram over `bins` equal-width probability bins. */
export function reliabilityBins(labels: Float64Array, probabilities: Float64Array, bins: number): CalibrationBin[] {
  const count = new Float64Array(bins);
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  for (let i = 0; i < labels.length; i++) {
    const bin = Math.min(bins - 1, Math.floor(probabilities[i] * bins));
    count[bin]++;
    predicted[bin] += probabilities[i];
    observed[bin] += labels[i];
  }
  return Array.from(count, (n, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: n,
    meanPredicted: n === 0 ? NaN : predicted[b] / n,
    observedRate: n === 0 ? NaN : observed[b] / n,
  }));
}

/** Mean squared difference between probability and outcome. */
export function brierScore(labels: Float64Array, probabilities: Float64Array): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) total += (probabilities[i] - labels[i]) ** 2;
  return total / labels.length;
}

/** Expected calibration error: the row-weighted mean gap between predicted and observed rate over the bins. */
export function expectedCalibrationError(bins: CalibrationBin[], rows: number): number {
  return bins.reduce((sum, bin) => (bin.count === 0 ? sum : sum + (bin.count / rows) * Math.abs(bin.meanPredicted - bin.observedRate)), 0);
}
