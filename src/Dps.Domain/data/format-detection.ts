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
