// Codes outside UTF-16 mark a null and the gap between fields, so ["ab", ""] and ["a", "b"] differ.
const NULL_CODE = 0x110000;
const SEPARATOR_CODE = 0x110001;

/**
 * Non-cryptographic 64-bit hash of a sequence of fields (two 32-bit lanes that mix into each other),
 * fed one field at a time so callers can hash while they pass over a row's fields.
 * Fast enough to run per row; the odds of any collision among n rows are about n² / 2^65.
 */
export class Hash64 {
  private a = 0x243f6a88;
  private b = 0x85a308d3;

  /** Starts a new sequence. */
  reset(): void {
    this.a = 0x243f6a88;
    this.b = 0x85a308d3;
  }

  /** Adds one field (null: missing). */
  add(value: string | null): void {
    let a = this.a;
    let b = this.b;
    if (value === null) {
      a = Math.imul(a ^ NULL_CODE, 0x9e3779b1);
      b = Math.imul(b ^ NULL_CODE, 0x85ebca77);
    } else {
      // Two UTF-16 units per step: half the rounds, and the pair maps to 32 bits one-to-one.
      for (let i = 0; i < value.length; i += 2) {
        const c = value.charCodeAt(i) | (i + 1 < value.length ? value.charCodeAt(i + 1) << 16 : 0);
        a = Math.imul(a ^ c, 0x9e3779b1);
        b = Math.imul(b ^ c, 0x85ebca77);
        a ^= b >>> 15;
        b ^= a >>> 13;
      }
    }
    // The length tells "a" from "a\u0000", which pack into the same last pair.
    const length = value === null ? 0 : value.length;
    a = Math.imul(a ^ SEPARATOR_CODE ^ (length << 21), 0xc2b2ae3d);
    b = Math.imul(b ^ SEPARATOR_CODE, 0x27d4eb2f);
    a ^= b >>> 16;
    b ^= a >>> 16;
    this.a = a;
    this.b = b;
  }

  /** Writes the hash of the fields added since reset: out[0] = high, out[1] = low; never 0:0, which marks an empty dedup slot. */
  finish(out: Uint32Array): void {
    let a = this.a;
    let b = this.b;
    // murmur3 finaliser on each lane, crossed once more.
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    a ^= a >>> 16;
    b = Math.imul(b ^ (b >>> 16), 0x85ebca6b) ^ a;
    b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
    b ^= b >>> 16;
    out[0] = a >>> 0;
    out[1] = (b >>> 0) || (a === 0 ? 1 : 0);
  }
}

const scratch = new Hash64();

/**
 * The 64-bit hash of the fields at `indices`, written as out[0] = high, out[1] = low (see Hash64).
 */
export function hashFields(values: ReadonlyArray<string | null>, indices: readonly number[], out: Uint32Array): void {
  scratch.reset();
  for (let k = 0; k < indices.length; k++) scratch.add(values[indices[k]]);
  scratch.finish(out);
}
