/**
 * Numbered row families (contract revisions, silver versions, model versions): each number is its own
 * insert-only row whose key is the family's prefix and the number, zero-padded so keys sort by number.
 */

/** How many numbers an insert-only writer tries before giving up (each lost race moves it one on). */
export const MAX_NUMBER_ATTEMPTS = 20;

const DIGITS = 6;

/** The key of number `n` in the family `prefix`: `contract-r000003`. */
export function numberedKey(prefix: string, n: number): string {
  return `${prefix}${String(n).padStart(DIGITS, '0')}`;
}

/** The number a key of the family holds; undefined for a key of another family or without a number. */
export function numberOfKey(prefix: string, key: string): number | undefined {
  if (!key.startsWith(prefix)) return undefined;
  const digits = key.slice(prefix.length);
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

/** The key range `[from, to)` that holds every key of the family (for a range query). */
export function numberedKeyRange(prefix: string): { from: string; to: string } {
  const last = prefix.charCodeAt(prefix.length - 1);
  return { from: prefix, to: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** The next number after the taken ones: 1 for an empty family, else one past the highest. */
export function nextNumber(taken: Iterable<number>): number {
  let highest = 0;
  for (const n of taken) if (n > highest) highest = n;
  return highest + 1;
}
