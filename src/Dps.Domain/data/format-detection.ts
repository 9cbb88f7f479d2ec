import { bomLength } from './row-bytes';

/** Guesses the format from the first bytes: JSON Lines when the first non-blank character is `{`, CSV otherwise. */
export function detectFormat(firstBytes: Uint8Array): 'csv' | 'jsonl' {
  for (let i = bomLength(firstBytes); i < firstBytes.length; i++) {
    const b = firstBytes[i];
    if (b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    return b === 0x7b ? 'jsonl' : 'csv';
  }
  return 'csv';
}

const PAR1 = [0x50, 0x41, 0x52, 0x31];

function isPar1(bytes: Uint8Array, at: number): boolean {
  return at >= 0 && bytes.length >= at + 4 && PAR1.every((b, i) => bytes[at + i] === b);
}

/** True when a file's first and last bytes both carry the Parquet magic `PAR1` (a file's footer ends with it). */
export function isParquet(firstBytes: Uint8Array, lastBytes: Uint8Array): boolean {
  return isPar1(firstBytes, 0) && isPar1(lastBytes, lastBytes.length - 4);
}
