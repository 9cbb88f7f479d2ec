import { Result, err, ok } from '../result';
import { LabelledMatrix, selectRows, selectValues } from './feature-matrix';
import { createRandom, shuffleInPlace } from './seeded-random';

/** Row indices of the two sides of a split, each ascending. */
export interface RowSplit {
  train: Int32Array;
  holdout: Int32Array;
}

/** Holds out `fraction` of each label value's rows (binary stratification), seeded. */
export function stratifiedHoldout(labels: Float64Array, fraction: number, seed: number): Result<RowSplit> {
  const groups = new Map<number, number[]>();
  labels.forEach((label, row) => {
    const group = groups.get(label);
    if (group) group.push(row);
    else groups.set(label, [row]);
  });
  // Visit groups in label order so the draw sequence does not depend on which label comes first.
  const ordered = [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([, rows]) => rows);
  return splitGroups(ordered, fraction, seed);
}

/** Holds out `fraction` of rows 0..rows-1 uniformly at random, seeded. */
export function randomHoldout(rows: number, fraction: number, seed: number): Result<RowSplit> {
  return splitGroups([Array.from({ length: rows }, (_, row) => row)], fraction, seed);
}

/** Splits labelled rows into train and validation sets (stratified by label when `stratify`), seeded. */
export function trainValidationSplit(
  data: LabelledMatrix,
  fraction: number,
  seed: number,
  stratify: boolean,
): Result<{ train: LabelledMatrix; validation: LabelledMatrix }> {
  const split = stratify ? stratifiedHoldout(data.labels, fraction, seed) : randomHoldout(data.labels.length, fraction, seed);
  if (!split.ok) return split;
  const part = (rows: Int32Array): LabelledMatrix => ({
    matrix: selectRows(data.matrix, rows),
    labels: selectValues(data.labels, rows),
    ...(data.weights ? { weights: selectValues(data.weights, rows) } : {}),
  });
  return ok({ train: part(split.value.train), validation: part(split.value.holdout) });
}

function splitGroups(groups: number[][], fraction: number, seed: number): Result<RowSplit> {
  if (!(fraction > 0 && fraction < 1)) return err(`holdout fraction must be in (0, 1), got ${fraction}`);
  const random = createRandom(seed);
  const train: number[] = [];
  const holdout: number[] = [];
  for (const group of groups) {
    const shuffled = shuffleInPlace(Int32Array.from(group), random);
    const held = Math.round(shuffled.length * fraction);
    shuffled.forEach((row, i) => (i < held ? holdout : train).push(row));
  }
  if (train.length === 0 || holdout.length === 0) {
    return err(`a holdout of ${fraction} leaves one side empty`);
  }
  return ok({ train: Int32Array.from(train).sort(), holdout: Int32Array.from(holdout).sort() });
}
