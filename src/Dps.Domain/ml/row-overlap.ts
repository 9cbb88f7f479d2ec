import type { LabelledMatrix } from './feature-matrix';

/**
 * Indices of evaluation rows equal to a training row in every model input (missing counted as equal) and the label:
 * examples the model was fitted on. Rows are compared by a 53-bit fingerprint, so two different rows are taken
 * for equal with a chance of about 1 in 2^53 per pair; every matrix must come from the same pipeline.
 */
export function rowsSeenInTraining(training: readonly LabelledMatrix[], evaluation: LabelledMatrix): Int32Array {
  const seen = new Set<number>();
  for (const part of training) for (let r = 0; r < part.labels.length; r++) seen.add(fingerprint(part, r));
  const inTraining: number[] = [];
  for (let r = 0; r < evaluation.labels.length; r++) if (seen.has(fingerprint(evaluation, r))) inTraining.push(r);
  return Int32Array.from(inTraining);
}

/** How many records repeat an earlier record exactly (every field, in the order written). */
export function repeatedRecords(records: readonly Record<string, unknown>[]): number {
  const seen = new Set<string>();
  let repeats = 0;
  for (const record of records) {
    const text = JSON.stringify(record);
    if (seen.has(text)) repeats++;
    else seen.add(text);
  }
  return repeats;
}

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);

/** Two 32-bit multiplicative hashes of the row's values (numbers by their bits, NaN as one value) folded into a safe integer. */
function fingerprint(data: LabelledMatrix, row: number): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  const mix = (word: number): void => {
    a = Math.imul(a ^ word, 0x01000193);
    b = Math.imul(b ^ word, 0x5bd1e995);
    b ^= b >>> 15;
  };
  for (const column of data.matrix.columns) {
    const value = column.values[row];
    scratch[0] = value !== value ? NaN : value === 0 ? 0 : value;
    mix(words[0]);
    mix(words[1]);
  }
  scratch[0] = data.labels[row];
  mix(words[0]);
  mix(words[1]);
  return (a >>> 11) * 2 ** 32 + (b >>> 0);
}
