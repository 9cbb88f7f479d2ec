/** A deterministic stream of pseudo-random numbers (mulberry32), so training is reproducible from a seed. */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  nextInt(bound: number): number;
}

/** Starts a mulberry32 stream at `seed` (any finite number; it is folded to 32 bits). */
export function createRandom(seed: number): SeededRandom {
  let state = foldSeed(seed);
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, nextInt: (bound) => Math.floor(next() * bound) };
}

/** A seed for an independent sub-stream, so that e.g. the split and the bagging do not share draws. */
export function deriveSeed(seed: number, stream: number): number {
  // splitmix32-style finaliser over the pair keeps nearby seeds and streams far apart.
  let h = (foldSeed(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad);
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97);
  return (h ^ (h >>> 15)) >>> 0;
}

/** Shuffles `values` in place (Fisher-Yates). */
export function shuffleInPlace<T extends { length: number; [index: number]: number }>(values: T, random: SeededRandom): T {
  for (let i = values.length - 1; i > 0; i--) {
    const j = random.nextInt(i + 1);
    const tmp = values[i];
    values[i] = values[j];
    values[j] = tmp;
  }
  return values;
}

/** `count` distinct indices from [0, size), ascending, drawn without replacement. */
export function sampleIndices(size: number, count: number, random: SeededRandom): Int32Array {
  const pool = new Int32Array(size);
  for (let i = 0; i < size; i++) pool[i] = i;
  // Partial Fisher-Yates: only the first `count` places need to be drawn.
  for (let i = 0; i < count; i++) {
    const j = i + random.nextInt(size - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.subarray(0, count).sort();
}

function foldSeed(seed: number): number {
  const whole = Math.trunc(seed);
  // Keep high bits of seeds beyond 2^32 instead of dropping them.
  return (whole ^ Math.floor(whole / 4294967296)) | 0;
}
