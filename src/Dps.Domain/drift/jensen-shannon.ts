/**
 * Jensen-Shannon distance (natural log) between two histograms over the same categories, as
 * scipy.spatial.distance.jensenshannon: each side is normalised to sum 1, then sqrt(JS divergence).
 */
export function jensenShannonDistance(p: readonly number[], q: readonly number[]): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i];
    sq += q[i];
  }
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i] / sp;
    const b = q[i] / sq;
    const m = (a + b) / 2;
    if (a > 0) js += a * Math.log(a / m);
    if (b > 0) js += b * Math.log(b / m);
  }
  return Math.sqrt(Math.max(0, js) / 2);
}
