import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_THRESHOLDS, resolveDriftThresholds } from '../../../src/Dps.Domain/drift/drift-thresholds';
import { labelDrift, predictionDrift } from '../../../src/Dps.Domain/drift/output-drift';

describe('threshold overrides', () => {
  it('layers contract then model over the defaults, per field and per feature', () => {
    const r = resolveDriftThresholds([
      { name: 'contract', overrides: { pValue: 0.01, features: { age: { threshold: 0.2 } } } },
      { name: 'model', overrides: { pValue: 0.02, psi: { major: 0.3 }, features: { age: { method: 'ks' } } } },
    ]);
    expect(r).toEqual({
      ok: true,
      value: { ...DEFAULT_DRIFT_THRESHOLDS, pValue: 0.02, psi: { minor: 0.1, major: 0.3 }, features: { age: { threshold: 0.2, method: 'ks' } } },
    });
  });

  it('names the layer and field of every bad override', () => {
    const r = resolveDriftThresholds([{ name: 'model churn', overrides: { pValue: 2, colour: 1, features: { age: { method: 'psi' } } } as never }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual([
      'model churn: drift.colour is not a drift setting (known: testRowsLimit, pValue, wasserstein, jensenShannon, categoricalDistinct, datasetShare, psi, features)',
      'model churn: drift.pValue must be a number from 0 to 1 (got 2)',
      'model churn: drift.features.age.method must be one of ks, chisquare, wasserstein, jensenshannon (got "psi")',
    ]);
  });

  it('rejects a minor PSI threshold above the major one', () => {
    expect(resolveDriftThresholds([{ name: 'model', overrides: { psi: { minor: 0.5 } } }])).toEqual({
      ok: false,
      error: ['drift.psi.minor (0.5) must not exceed drift.psi.major (0.25)'],
    });
  });
});

describe('prediction and label drift', () => {
  const classes = (n: number, positive: number) => Array.from({ length: n }, (_, i) => (i % 100 < positive ? 'yes' : 'no'));

  it('compares predicted classes with chi-squared on a small reference and flags a shift', () => {
    const d = predictionDrift('categorical', classes(500, 20), classes(400, 45), DEFAULT_DRIFT_THRESHOLDS);
    expect(d).toMatchObject({ name: 'prediction', method: 'chisquare', drift: true });
    expect(predictionDrift('categorical', classes(500, 20), classes(400, 20), DEFAULT_DRIFT_THRESHOLDS).drift).toBe(false);
  });

  it('compares numeric labels from feedback with Wasserstein on a large reference', () => {
    const ref = Array.from({ length: 2000 }, (_, i) => (i % 97) / 10);
    const cur = ref.map((v) => v + 2);
    const d = labelDrift('numeric', ref, cur, DEFAULT_DRIFT_THRESHOLDS);
    expect(d).toMatchObject({ name: 'label', method: 'wasserstein', drift: true });
  });
});
