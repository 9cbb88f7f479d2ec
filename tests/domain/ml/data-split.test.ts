import { describe, expect, it } from 'vitest';
import { randomHoldout, stratifiedHoldout, trainValidationSplit } from '../../../src/Dps.Domain/ml/data-split';

describe('holdout splits', () => {
  const labels = Float64Array.from({ length: 150 }, (_, i) => (i % 3 === 0 ? 1 : 0));

  it('stratified holdout keeps each class in proportion and covers every row once', () => {
    const split = stratifiedHoldout(labels, 0.2, 7);
    if (!split.ok) throw new Error(split.error);
    const { train, holdout } = split.value;
    expect(holdout.length).toBe(30);
    expect(Array.from(holdout).filter((row) => labels[row] === 1).length).toBe(10);
    expect([...train, ...holdout].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    expect(Array.from(train)).toEqual([...train].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and changes with it', () => {
    const a = stratifiedHoldout(labels, 0.2, 7);
    const b = stratifiedHoldout(labels, 0.2, 7);
    const c = stratifiedHoldout(labels, 0.2, 8);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('random holdout takes the share asked for', () => {
    const split = randomHoldout(1000, 0.25, 1);
    expect(split.ok && split.value.holdout.length).toBe(250);
    expect(split.ok && split.value.train.length).toBe(750);
  });

  it('refuses fractions that leave a side empty', () => {
    expect(randomHoldout(10, 0, 1).ok).toBe(false);
    expect(randomHoldout(10, 1, 1).ok).toBe(false);
    expect(randomHoldout(1, 0.2, 1).ok).toBe(false);
  });

  it('train/validation split carries the matching features and labels to each side', () => {
    const x = Float64Array.from(labels, (_, row) => row);
    const split = trainValidationSplit({ matrix: { rows: 150, columns: [{ name: 'row', kind: 'numeric', values: x }] }, labels }, 0.2, 3, true);
    if (!split.ok) throw new Error(split.error);
    const { train, validation } = split.value;
    expect(train.matrix.rows + validation.matrix.rows).toBe(150);
    expect(validation.labels.reduce((sum, y) => sum + y, 0)).toBe(10);
    for (const side of [train, validation]) {
      side.matrix.columns[0].values.forEach((row, i) => expect(side.labels[i]).toBe(labels[row]));
    }
    expect(trainValidationSplit({ matrix: { rows: 150, columns: [] }, labels }, 2, 3, false).ok).toBe(false);
  });
});
