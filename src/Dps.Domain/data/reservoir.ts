import type { Uniform } from './random-draws';

/** A uniform sample of at most `capacity` numbers from a stream (Algorithm R), each with an integer tag. */
export class Reservoir {
  readonly values: Float64Array;
  readonly tags: Int32Array;
  private seen = 0;

  constructor(
    readonly capacity: number,
    private readonly uniform: Uniform,
  ) {
    this.values = new Float64Array(capacity);
    this.tags = new Int32Array(capacity);
  }

  /** How many values were offered. */
  get offered(): number {
    return this.seen;
  }

  /** How many values the sample holds. */
  get size(): number {
    return Math.min(this.seen, this.capacity);
  }

  /** Offers one value; it replaces a random kept one with probability capacity / offered. */
  offer(value: number, tag: number): void {
    const n = this.seen++;
    const slot = n < this.capacity ? n : Math.floor(this.uniform() * (n + 1));
    if (slot < this.capacity) {
      this.values[slot] = value;
      this.tags[slot] = tag;
    }
  }
}
