/** A seeded source of uniform numbers in [0, 1), e.g. `createRandom(seed).next` from ml/seeded-random. */
export type Uniform = () => number;

/** A standard normal draw (Box-Muller). */
export function normal(uniform: Uniform): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A Poisson draw (Knuth; fine for the small rates the sample uses). */
export function poisson(uniform: Uniform, rate: number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  for (let p = uniform(); p > limit; p *= uniform()) k++;
  return k;
}

/** An index drawn with the given (unnormalised) weights. */
export function weightedIndex(uniform: Uniform, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = uniform() * total;
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}
