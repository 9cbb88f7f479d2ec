import type { Uniform } from './random-draws';

/** Slots a reservoir starts with; it doubles up to its capacity as values arrive. */
const INITIAL_SLOTS = 16;

/**
 * A uniform sample of at most `capacity` numbers from a stream (Algorithm R), each with an integer tag.
 * Its memory follows the values offered, not the capacity: a profile of many columns over few rows
 * must not allocate capacity-sized arrays per column up front.
 */
export class Reservoir {
  private slots: Float64Array;
  private slotTags: Int32Array;
  private seen = 0;

  constructor(
    readonly capacity: number,
    private readonly uniform: Uniform,
  ) {
    const initial = Math.min(capacity, INITIAL_SLOTS);
    this.slots = new Float64Array(initial);
    this.slotTags = new Int32Array(initial);
  }

  /** The kept values; only the first `size` are meaningful. */
  get values(): Float64Array {
    return this.slots;
  }

  /** The kept values' tags, aligned with `values`. */
  get tags(): Int32Array {
    return this.slotTags;
  }

  /** How many slots are allocated (never more than the capacity, at most twice the values offered). */
  get allocated(): number {
    return this.slots.length;
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
    if (slot >= this.capacity) return;
    if (slot >= this.slots.length) this.grow();
    this.slots[slot] = value;
    this.slotTags[slot] = tag;
  }

  private grow(): void {
    const length = Math.min(this.capacity, this.slots.length * 2);
    const slots = new Float64Array(length);
    const tags = new Int32Array(length);
    slots.set(this.slots);
    tags.set(this.slotTags);
    this.slots = slots;
    this.slotTags = tags;
  }
}
