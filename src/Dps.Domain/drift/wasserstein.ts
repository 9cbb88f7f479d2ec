/**
 * First Wasserstein distance between two samples given sorted ascending, as
 * scipy.stats.wasserstein_distance(u, v): the integral of |F_u - F_v| over the merged values.
 */
export function wassersteinDistance(sortedU: ArrayLike<number>, sortedV: ArrayLike<number>): number {
  const nu = sortedU.length;
  const nv = sortedV.length;
  let i = 0;
  let j = 0;
  let sum = 0;
  let x = Math.min(sortedU[0], sortedV[0]);
  while (i < nu || j < nv) {
    // Step past every value equal to x on both sides: the CDFs just right of x.
    while (i < nu && sortedU[i] === x) i++;
    while (j < nv && sortedV[j] === x) j++;
    if (i >= nu && j >= nv) break;
    const next = i >= nu ? sortedV[j] : j >= nv ? sortedU[i] : Math.min(sortedU[i], sortedV[j]);
    sum += Math.abs(i / nu - j / nv) * (next - x);
    x = next;
  }
  return sum;
}
