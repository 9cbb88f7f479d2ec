import { describe, expect, it } from 'vitest';
import type { DatasetProfile } from '../../../src/Dps.Domain/data/dataset-profile';
import { buildDriftReference } from '../../../src/Dps.Domain/drift/drift-reference';
import { DEFAULT_DRIFT_THRESHOLDS } from '../../../src/Dps.Domain/drift/drift-thresholds';
import { evaluateWindow } from '../../../src/Dps.Domain/drift/window-drift';
import { createSketchWriter, createWindowSketch } from '../../../src/Dps.Domain/drift/window-sketch';
import { fixtures } from './scipy-fixtures';

describe('buildDriftReference', () => {
  it("takes PSI bins from the profile's quantile edges and top categories", () => {
    const profile = {
      columns: [
        { name: 'x', kind: 'numeric', bins: { edges: [0, 2.5, 10], counts: [5, 5], exact: false } },
        { name: 'c', kind: 'categorical', top: [{ value: 'b', count: 6 }], other: 4 },
      ],
    } as unknown as DatasetProfile;
    const ref = buildDriftReference(
      'gold/d/v1',
      [
        { name: 'x', kind: 'numeric', values: [0, 1, 2, 3, 4, 5, 6, 7, 8, null] },
        { name: 'c', kind: 'categorical', values: ['a', 'b', 'b', null] },
      ],
      { profile },
    );
    const [x, c] = ref.features;
    expect(x).toMatchObject({ kind: 'numeric', rows: 9, missing: 1, mean: 4, exactEdges: true, psiEdges: [0, 2.5, 10] });
    if (x.kind !== 'numeric') return;
    expect(x.edges).toEqual([0, 1, 2, 2.5, 3, 4, 5, 6, 7, 8, 10]);
    expect(x.std).toBeCloseTo(Math.sqrt(60 / 9), 12);
    expect(c).toEqual({ name: 'c', kind: 'categorical', rows: 3, missing: 1, counts: { b: 2, a: 1 }, other: 0, psiCategories: ['b'] });
  });

  it('uses quantile edges for many distinct values and keeps every value as an edge for few', () => {
    const many = Array.from({ length: 5000 }, (_, i) => i * 1.5);
    const ref = buildDriftReference('r', [
      { name: 'many', kind: 'numeric', values: many },
      { name: 'few', kind: 'numeric', values: many.map((v) => Math.floor(v / 100)) },
    ]);
    const [m, f] = ref.features;
    if (m.kind !== 'numeric' || f.kind !== 'numeric') throw new Error('numeric');
    expect(m.exactEdges).toBe(false);
    expect(m.edges.length).toBeLessThanOrEqual(201 + 11);
    expect(f.exactEdges).toBe(true);
    expect(f.edges.length).toBe(75);
    expect(m.counts.reduce((a, b) => a + b, 0)).toBe(5000);
  });
});

describe('small references through sketches', () => {
  it.each(fixtures.columns.filter((c) => c.method === 'ks' || c.method === 'chisquare').map((c) => [c.name, c] as const))(
    '%s: the window sketch gives scipy p-value to 1e-6',
    (_, c) => {
      const ref = buildDriftReference('r', [c.kind === 'numeric' ? { name: c.name, kind: 'numeric', values: c.reference as number[] } : { name: c.name, kind: 'categorical', values: c.reference as string[] }]);
      const sketch = createWindowSketch(ref, '0', String(c.current.length));
      const writer = createSketchWriter(ref);
      for (const v of c.current) writer.addRow(sketch, { [c.name]: v });
      const feature = evaluateWindow(ref, sketch, DEFAULT_DRIFT_THRESHOLDS).features[0];
      expect(feature.method).toBe(c.method);
      expect(Math.abs(feature.score! - c.score)).toBeLessThanOrEqual(1e-6);
    },
  );
});
