import { describe, expect, it } from 'vitest';
import { concatRows, LabelledMatrix, selectRows, selectValues } from '../../../src/Dps.Domain/ml/feature-matrix';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { repeatedRecords, rowsSeenInTraining } from '../../../src/Dps.Domain/ml/row-overlap';
import { gbdtRefit } from '../../../src/Dps.Domain/ml/winner-refit';
import { binaryTask } from './synthetic-data';

describe('refitting the winner on every training row', () => {
  it('scales the rounds early stopping kept by the growth in rows, turns early stopping off and keeps the other parameters', () => {
    const plan = gbdtRefit({ objective: 'binary', learningRate: 0.07, numLeaves: 8 }, 146, 23_443, 32_561);
    expect(plan.rounds).toBe(Math.round((146 * 32_561) / 23_443));
    expect(plan.params).toEqual({ objective: 'binary', learningRate: 0.07, numLeaves: 8, numRounds: plan.rounds, earlyStoppingRounds: 0 });
    expect(plan.reason).toBe(`${plan.rounds} rounds: the 146 kept by early stopping on 23443 rows, scaled by 32561 / 23443 rows`);
    expect(gbdtRefit({ objective: 'regression' }, 0, 100, 120).rounds).toBe(1);
  });

  it('trains exactly the planned rounds on the joined rows', () => {
    const task = binaryTask(1200, 5);
    const first = { matrix: selectRows(task.matrix, Int32Array.from({ length: 900 }, (_, i) => i)), labels: task.labels.slice(0, 900) };
    const second = { matrix: selectRows(task.matrix, Int32Array.from({ length: 300 }, (_, i) => 900 + i)), labels: task.labels.slice(900) };
    const early = trainGbdt(first.matrix, first.labels, { objective: 'binary', numLeaves: 4 }, 3);
    if (!early.ok) throw new Error(early.error);
    const all = concatRows(first, second);
    const plan = gbdtRefit({ objective: 'binary', numLeaves: 4 }, early.value.bestIteration, early.value.trainRows, all.labels.length);
    const refit = trainGbdt(all.matrix, all.labels, plan.params, 3);
    if (!refit.ok) throw new Error(refit.error);
    expect(refit.value.trainRows).toBe(1200);
    expect(refit.value.bestIteration).toBe(plan.rounds);
    expect(plan.rounds).toBeGreaterThan(early.value.bestIteration);
  });
});

describe('concatRows', () => {
  it('puts the second matrix after the first, column by column, with labels and weights', () => {
    const task = binaryTask(10, 1);
    const part = (from: number, to: number): LabelledMatrix => {
      const idx = Int32Array.from({ length: to - from }, (_, i) => from + i);
      return { matrix: selectRows(task.matrix, idx), labels: selectValues(task.labels, idx), weights: Float64Array.from(idx, (i) => i + 1) };
    };
    const joined = concatRows(part(0, 4), part(4, 10));
    expect(joined.matrix.rows).toBe(10);
    joined.matrix.columns.forEach((c, i) => expect(Array.from(c.values)).toEqual(Array.from(task.matrix.columns[i].values)));
    expect(Array.from(joined.labels)).toEqual(Array.from(task.labels));
    expect(Array.from(joined.weights ?? [])).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('refuses matrices whose columns differ', () => {
    const task = binaryTask(4, 1);
    const other = { matrix: { rows: 4, columns: [...task.matrix.columns].reverse() }, labels: task.labels };
    expect(() => concatRows(task, other)).toThrow(/column 0 is/);
  });
});

describe('overlap of evaluation rows with training rows, and repeats', () => {
  const task = binaryTask(50, 2);
  const pick = (indices: number[]): LabelledMatrix => ({ matrix: selectRows(task.matrix, Int32Array.from(indices)), labels: selectValues(task.labels, Int32Array.from(indices)) });

  it('finds evaluation rows equal to a training row, missing values included', () => {
    expect(task.matrix.columns.some((c) => Array.from(c.values).some((v) => Number.isNaN(v)))).toBe(true);
    // Rows 10..12 are new, 2 and 5 were trained on.
    expect(Array.from(rowsSeenInTraining([pick([0, 1, 2, 3]), pick([4, 5])], pick([10, 2, 11, 5, 12, 11])))).toEqual([1, 3]);
  });

  it('does not count a row with the same inputs but another label', () => {
    const row = pick([7]);
    const flipped = { matrix: row.matrix, labels: row.labels.map((y) => 1 - y) };
    expect(rowsSeenInTraining([row], flipped).length).toBe(0);
    expect(rowsSeenInTraining([row], row).length).toBe(1);
  });

  it('counts records repeating an earlier one exactly', () => {
    expect(repeatedRecords([{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 1, b: 'x' }, { a: 1, b: 'x' }, { a: 2, b: null }])).toBe(2);
  });
});
