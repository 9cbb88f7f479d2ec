import { afterAll, describe, expect, it } from 'vitest';
import { trainGbdt } from '../../src/Dps.Domain/ml/gbdt-trainer';
import type { FeatureMatrix } from '../../src/Dps.Domain/ml/feature-matrix';
import { createComputePool } from '../../src/Dps.Functions/compute/compute-pool';
import { TRAIN_GBDT } from '../../src/Dps.Functions/compute/compute-tasks';

/** A seeded non-linear binary problem large enough that training takes many event-loop turns' worth of time. */
function problem(rows: number): { matrix: FeatureMatrix; labels: Float64Array } {
  let state = 7;
  const next = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const a = new Float64Array(rows), b = new Float64Array(rows), labels = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    a[i] = next() * 4 - 2;
    b[i] = next() * 4 - 2;
    labels[i] = (a[i] * b[i] > 0 ? 0.85 : 0.15) > next() ? 1 : 0;
  }
  return { matrix: { rows, columns: [{ name: 'a', kind: 'numeric', values: a }, { name: 'b', kind: 'numeric', values: b }] }, labels };
}

describe('compute pool', () => {
  const pool = createComputePool(2);
  afterAll(() => pool.close());

  it('trains on a worker thread the same model the calling thread would, bit for bit', async () => {
    const { matrix, labels } = problem(3000);
    const params = { objective: 'binary' as const, rounds: 40 };
    const pooled = await pool.run(TRAIN_GBDT, { matrix, labels, params, seed: 3 });
    const local = trainGbdt(matrix, labels, params, 3);
    expect(pooled.ok && local.ok).toBe(true);
    if (!pooled.ok || !local.ok) return;
    expect(pooled.value.bestIteration).toBe(local.value.bestIteration);
    expect(pooled.value.curve.train).toEqual(local.value.curve.train);
    expect(JSON.stringify(pooled.value.model, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)))
      .toBe(JSON.stringify(local.value.model, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
  });

  it('leaves the event loop free while it trains', async () => {
    const { matrix, labels } = problem(8000);
    let turns = 0;
    let done = false;
    const spin = () => { if (!done) { turns++; setImmediate(spin); } };
    setImmediate(spin);
    const result = await pool.run(TRAIN_GBDT, { matrix, labels, params: { objective: 'binary', rounds: 30 }, seed: 1 });
    done = true;
    expect(result.ok).toBe(true);
    // Training in this thread would have held the loop for the whole call: no turn could run in between.
    expect(turns).toBeGreaterThan(10);
  });

  it('answers an error value from the Domain as a value, and an unknown task as a rejection', async () => {
    const bad = await pool.run(TRAIN_GBDT, { matrix: { rows: 0, columns: [] }, labels: new Float64Array(0), params: { objective: 'binary' }, seed: 1 });
    expect(bad.ok).toBe(false);
    await expect(pool.run({ name: 'noSuchTask' }, {})).rejects.toThrow(/unknown compute task 'noSuchTask'/);
  });
});
