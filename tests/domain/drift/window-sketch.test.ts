import { describe, expect, it } from 'vitest';
import { normal } from '../../../src/Dps.Domain/data/random-draws';
import { buildDriftReference } from '../../../src/Dps.Domain/drift/drift-reference';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../src/Dps.Domain/drift/drift-thresholds';
import { compareDatasets } from '../../../src/Dps.Domain/drift/exact-comparison';
import { evaluateWindow } from '../../../src/Dps.Domain/drift/window-drift';
import { WindowSketch, addRowCount, createSketchWriter, createWindowSketch, mergeSketches } from '../../../src/Dps.Domain/drift/window-sketch';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

const draw = (seed: number, n: number, f: (u: () => number) => number) => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => f(r.next));
};

const refRows = 5000;
const reference = buildDriftReference('gold/test/v1', [
  { name: 'amount', kind: 'numeric', values: draw(1, refRows, (u) => 100 + 15 * normal(u)) },
  { name: 'age', kind: 'numeric', values: draw(2, refRows, (u) => Math.floor(18 + 60 * u())) },
  { name: 'plan', kind: 'categorical', values: draw(3, refRows, (u) => ['basic', 'plus', 'pro'][Math.floor(u() * 3)]) },
]);

const writer = createSketchWriter(reference);

function windowOf(rows: Record<string, number | string | null>[], start: string, end: string): WindowSketch {
  const sketch = createWindowSketch(reference, start, end, 4);
  for (const row of rows) writer.addRow(sketch, row);
  return sketch;
}

const integerRows = (seed: number, n: number) =>
  draw(seed, n, (u) => u()).map((x, i) => ({ amount: Math.round(60 + 80 * x), age: i % 7 === 0 ? null : 20 + (i % 50), plan: ['basic', 'plus', 'pro', 'x', 'y', 'z'][i % 6] }));

describe('window sketches', () => {
  it('merge is associative and commutative (integer data keeps float sums exact)', () => {
    const a = windowOf(integerRows(10, 300), '2024-01-01T00:00:00Z', '2024-01-01T00:05:00Z');
    const b = windowOf(integerRows(11, 200), '2024-01-01T00:05:00Z', '2024-01-01T00:10:00Z');
    const c = windowOf(integerRows(12, 100), '2024-01-01T00:10:00Z', '2024-01-01T00:15:00Z');
    const m = (x: WindowSketch, y: WindowSketch) => {
      const r = mergeSketches(x, y);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    const left = m(m(a, b), c);
    expect(m(a, m(b, c))).toEqual(left);
    expect(m(c, m(b, a))).toEqual(left);
    expect(left.rows).toBe(600);
    expect(left.start).toBe('2024-01-01T00:00:00Z');
    expect(left.end).toBe('2024-01-01T00:15:00Z');
    // One sketch over all rows equals the merge.
    expect(windowOf([...integerRows(10, 300), ...integerRows(11, 200), ...integerRows(12, 100)], '2024-01-01T00:00:00Z', '2024-01-01T00:15:00Z')).toEqual(left);
  });

  it('keeps at most maxCategories values, the same ones whatever the merge order', () => {
    const s = windowOf(integerRows(10, 60), '0', '60');
    const plan = s.features.plan;
    if (plan.kind !== 'categorical') throw new Error('plan is categorical');
    expect(Object.keys(plan.counts).sort()).toEqual(['basic', 'plus', 'pro', 'x']);
    expect(plan.other).toBe(20);
  });

  it('orders row-window bounds numerically', () => {
    const r = mergeSketches(windowOf([], '100', '200'), windowOf([], '20', '99'));
    expect(r.ok && [r.value.start, r.value.end]).toEqual(['20', '200']);
  });

  it('refuses to merge sketches of different references, naming both', () => {
    const other = createWindowSketch({ ...reference, source: 'gold/test/v2' }, '0', '1', 4);
    const r = mergeSketches(windowOf([], '0', '1'), other);
    expect(r).toEqual({ ok: false, error: "sketches of different references cannot merge ('gold/test/v1' and 'gold/test/v2')" });
  });

  it('is plain JSON that evaluates the same after a round trip, and small', () => {
    const s = windowOf(integerRows(10, 2000), '0', '2000');
    const text = JSON.stringify(s);
    const back = JSON.parse(text) as WindowSketch;
    expect(evaluateWindow(reference, back, DEFAULT_DRIFT_THRESHOLDS)).toEqual(evaluateWindow(reference, s, DEFAULT_DRIFT_THRESHOLDS));
    expect(text.length).toBeLessThan(16_000);
  });
});

describe('sketch statistics against exact ones on the same rows', () => {
  const cases = [
    ['no drift', 3000, (u: () => number) => 100 + 15 * normal(u)],
    ['shifted', 3000, (u: () => number) => 104 + 15 * normal(u)],
    ['wider', 4000, (u: () => number) => 100 + 25 * normal(u)],
    ['bimodal', 2500, (u: () => number) => (u() < 0.5 ? 80 : 125) + 5 * normal(u)],
  ] as const;

  it.each(cases)('%s: KS within 0.01 and its stated bound, Wasserstein within 2 % and its bound', (_, n, gen) => {
    const values = draw(99, n, gen);
    const sketch = createWindowSketch(reference, '0', String(n));
    writer.addColumn(sketch, 'amount', values);
    addRowCount(sketch, n);
    const approx = evaluateWindow(reference, sketch, DEFAULT_DRIFT_THRESHOLDS).features[0];
    const refValues = draw(1, refRows, (u) => 100 + 15 * normal(u));
    const exact = compareDatasets('x', [{ name: 'amount', kind: 'numeric', values: refValues }], [{ name: 'amount', kind: 'numeric', values }], DEFAULT_DRIFT_THRESHOLDS).features[0];
    const a = approx.accuracy!;
    const e = exact.accuracy!;
    expect(Math.abs(a.ksStatistic - e.ksStatistic)).toBeLessThanOrEqual(Math.min(0.01, a.ksErrorBound + 1e-12));
    const wError = Math.abs(a.wasserstein - e.wasserstein);
    expect(wError).toBeLessThanOrEqual(a.wassersteinErrorBound + 1e-12);
    expect(wError / e.wasserstein).toBeLessThanOrEqual(0.02);
    expect(approx.method).toBe('wasserstein');
    expect(approx.score).toBeCloseTo(a.wasserstein, 12);
  });

  it('is exact when the reference has few distinct values (every value an edge)', () => {
    const values = draw(7, 3000, (u) => Math.floor(18 + 70 * u()));
    const sketch = createWindowSketch(reference, '0', '3000');
    writer.addColumn(sketch, 'age', values);
    const approx = evaluateWindow(reference, sketch, DEFAULT_DRIFT_THRESHOLDS).features.find((f) => f.name === 'age')!;
    expect(approx.accuracy!.ksErrorBound).toBe(0);
    const refValues = draw(2, refRows, (u) => Math.floor(18 + 60 * u()));
    const exact = compareDatasets('x', [{ name: 'age', kind: 'numeric', values: refValues }], [{ name: 'age', kind: 'numeric', values }], DEFAULT_DRIFT_THRESHOLDS).features[0];
    expect(approx.accuracy!.ksStatistic).toBeCloseTo(exact.accuracy!.ksStatistic, 12);
    expect(Math.abs(approx.accuracy!.wasserstein - exact.accuracy!.wasserstein)).toBeLessThanOrEqual(approx.accuracy!.wassersteinErrorBound + 1e-12);
  });
});
