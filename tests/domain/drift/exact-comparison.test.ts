import { describe, expect, it } from 'vitest';
import type { ReferenceColumn } from '../../../src/Dps.Domain/drift/drift-reference';
import { DEFAULT_DRIFT_THRESHOLDS, resolveDriftThresholds } from '../../../src/Dps.Domain/drift/drift-thresholds';
import { compareDatasets } from '../../../src/Dps.Domain/drift/exact-comparison';
import { fixtures } from './scipy-fixtures';

const column = (name: string, kind: 'numeric' | 'categorical', values: (number | string)[]) => ({ name, kind, values }) as ReferenceColumn;

describe('compareDatasets: Evidently default semantics, scores equal scipy to 1e-6', () => {
  it.each(fixtures.columns.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const result = compareDatasets('ref', [column(c.name, c.kind, c.reference)], [column(c.name, c.kind, c.current)], DEFAULT_DRIFT_THRESHOLDS);
    const feature = result.features[0];
    expect(feature.method).toBe(c.method);
    expect(Math.abs(feature.score! - c.score)).toBeLessThanOrEqual(1e-6);
    const expectedDrift = c.method === 'ks' || c.method === 'chisquare' ? c.score < 0.05 : c.score >= 0.1;
    expect(feature.drift).toBe(expectedDrift);
    expect(feature.accuracy?.ksErrorBound ?? 0).toBe(0);
    expect(feature.accuracy?.wassersteinErrorBound ?? 0).toBe(0);
  });

  it('dataset drift when at least half the features drift', () => {
    const cols = fixtures.columns;
    const result = compareDatasets(
      'ref',
      cols.map((c) => column(c.name, c.kind, c.reference)),
      cols.map((c) => column(c.name, c.kind, c.current)),
      DEFAULT_DRIFT_THRESHOLDS,
    );
    expect(result.evaluated).toBe(cols.length);
    expect(result.share).toBeCloseTo(result.drifted / cols.length, 12);
    expect(result.datasetDrift).toBe(result.drifted / cols.length >= 0.5);
  });

  it('treats a numeric column with at most 5 distinct values as categorical', () => {
    const ref = Array.from({ length: 400 }, (_, i) => i % 3);
    const cur = Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? 0 : 1));
    const result = compareDatasets('ref', [column('x', 'numeric', ref)], [column('x', 'numeric', cur)], DEFAULT_DRIFT_THRESHOLDS);
    expect(result.features[0].method).toBe('chisquare');
    expect(result.features[0].drift).toBe(true);
  });

  it('applies per-feature overrides: method, threshold, ignore', () => {
    const c = fixtures.columns.find((x) => x.method === 'ks')!;
    const t = resolveDriftThresholds([{ name: 'model', overrides: { features: { [c.name]: { method: 'wasserstein', threshold: 0.5 }, other: { ignore: true } } } }]);
    if (!t.ok) throw new Error(t.error.join('; '));
    const result = compareDatasets(
      'ref',
      [column(c.name, 'numeric', c.reference), column('other', 'numeric', [1, 2, 3])],
      [column(c.name, 'numeric', c.current), column('other', 'numeric', [7, 8, 9])],
      t.value,
    );
    expect(result.features.map((f) => f.name)).toEqual([c.name]);
    expect(result.features[0].method).toBe('wasserstein');
    expect(result.features[0].threshold).toBe(0.5);
  });

  it('reports PSI on the reference quantile bins for every feature', () => {
    const same = compareDatasets('ref', [column('x', 'numeric', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])], [column('x', 'numeric', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])], DEFAULT_DRIFT_THRESHOLDS);
    expect(same.features[0].psi).toBeCloseTo(0, 12);
    expect(same.features[0].psiLevel).toBe('stable');
    const moved = compareDatasets('ref', [column('x', 'numeric', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])], [column('x', 'numeric', [9, 10, 10, 10, 11, 12])], DEFAULT_DRIFT_THRESHOLDS);
    expect(moved.features[0].psiLevel).toBe('major');
  });

  it('a feature without current values has no verdict and does not count in the share', () => {
    const result = compareDatasets('ref', [column('x', 'numeric', [1, 2, 3])], [column('x', 'numeric', [null as unknown as number])], DEFAULT_DRIFT_THRESHOLDS);
    expect(result.features[0]).toMatchObject({ score: null, drift: false, note: 'no values in the window' });
    expect(result.evaluated).toBe(0);
    expect(result.datasetDrift).toBe(false);
  });
});
