import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_THRESHOLDS, overrideThresholds } from '../../../src/Dps.Domain/rollout/gate-thresholds';
import { DEFAULT_ROLLOUT_PLAN, parseRolloutRequest } from '../../../src/Dps.Domain/rollout/rollout-plan';

describe('parseRolloutRequest', () => {
  it('an empty body is the default plan; given fields override it', () => {
    expect(parseRolloutRequest(undefined)).toEqual({ ok: true, value: { plan: DEFAULT_ROLLOUT_PLAN } });
    const r = parseRolloutRequest({ version: 3, mode: 'shadow', steps: [10, 30], bakeSeconds: 0, minSamples: 50, approval: 'manual', thresholds: { minAgreement: 0.8 } });
    expect(r).toEqual({
      ok: true,
      value: { version: 3, plan: { mode: 'shadow', steps: [10, 30], bakeSeconds: 0, minSamples: 50, approval: 'manual', thresholds: { ...DEFAULT_GATE_THRESHOLDS, minAgreement: 0.8 } } },
    });
  });

  it('names the field of every refusal', () => {
    const cases: Array<[unknown, string]> = [
      ['fast', 'body'],
      [{ speed: 1 }, 'speed'],
      [{ mode: 'ab' }, 'mode'],
      [{ steps: [] }, 'steps'],
      [{ steps: [5, 5, 100] }, 'steps[1]'],
      [{ steps: [0, 100] }, 'steps[0]'],
      [{ steps: [5, 50] }, 'steps'],
      [{ version: 0 }, 'version'],
      [{ bakeSeconds: -1 }, 'bakeSeconds'],
      [{ minSamples: 1.5 }, 'minSamples'],
      [{ approval: 'yes' }, 'approval'],
      [{ thresholds: { maxLatencyRatio: 0.5 } }, 'thresholds.maxLatencyRatio'],
      [{ thresholds: { speed: 1 } }, 'thresholds.speed'],
    ];
    for (const [body, field] of cases) {
      const r = parseRolloutRequest(body);
      expect(r.ok ? 'accepted' : r.error.field).toBe(field);
    }
  });
});

describe('overrideThresholds', () => {
  it('reads overrides from settings under their own path', () => {
    expect(overrideThresholds(DEFAULT_GATE_THRESHOLDS, { minLabels: 20 }, 'DPS_ROLLOUT_THRESHOLDS')).toEqual({ ok: true, value: { ...DEFAULT_GATE_THRESHOLDS, minLabels: 20 } });
    const bad = overrideThresholds(DEFAULT_GATE_THRESHOLDS, { minLabels: 2.5 }, 'DPS_ROLLOUT_THRESHOLDS');
    expect(!bad.ok && bad.error).toEqual({ field: 'DPS_ROLLOUT_THRESHOLDS.minLabels', message: 'must be a whole number from 1 to 10000000' });
  });
});
