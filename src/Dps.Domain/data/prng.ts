/** A seeded source of uniform numbers in [0, 1). */
export type Uniform = () => number;

/** sfc32 seeded through splitmix32, so nearby seeds give unrelated streams. */
export function seededUniform(seed: number): Uniform {
  let s = Math.trunc(seed) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

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
