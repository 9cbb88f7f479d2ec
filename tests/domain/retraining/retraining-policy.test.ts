import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRAIN_POLICY, RetrainContext, decideRetraining } from '../../../src/Dps.Domain/retraining/retraining-policy';
import { RetrainTrigger, performanceTrigger, volumeTrigger } from '../../../src/Dps.Domain/retraining/retrain-trigger';

const now = '2024-05-02T12:00:00.000Z';
const drift: RetrainTrigger = { kind: 'drift', at: now, windowEnd: now, share: 0.6 };
const schedule: RetrainTrigger = { kind: 'schedule', at: now };
const manual: RetrainTrigger = { kind: 'manual', at: now, by: 'ops@example.com' };
const ready: RetrainContext = { now, lastStartedAt: '2024-05-01T06:00:00.000Z', newRows: 5000, retrainRunning: false, rolloutRunning: false };

describe('decideRetraining', () => {
  it('starts when nothing stands in the way, saying why', () => {
    expect(decideRetraining(drift, ready, DEFAULT_RETRAIN_POLICY)).toEqual({
      action: 'start',
      trigger: drift,
      reason: `drift: 60 % of features drifted in the window ending ${now}`,
    });
  });

  it('skips while a retrain runs, even a manual one', () => {
    expect(decideRetraining(manual, { ...ready, retrainRunning: true }, DEFAULT_RETRAIN_POLICY)).toMatchObject({ action: 'skip', reason: 'a retrain of this model is already running' });
  });

  it('waits for a running rollout, or skips when the policy says so', () => {
    expect(decideRetraining(drift, { ...ready, rolloutRunning: true }, DEFAULT_RETRAIN_POLICY)).toEqual({
      action: 'wait',
      trigger: drift,
      reason: 'a rollout is in progress; checking again later',
      retryAt: '2024-05-02T12:15:00.000Z',
    });
    expect(decideRetraining(drift, { ...ready, rolloutRunning: true }, { ...DEFAULT_RETRAIN_POLICY, whileRollout: 'skip' }).action).toBe('skip');
  });

  it('in cool-down, drift waits for its end and a schedule skips', () => {
    const recent = { ...ready, lastStartedAt: '2024-05-02T06:00:00.000Z' };
    expect(decideRetraining(drift, recent, DEFAULT_RETRAIN_POLICY)).toMatchObject({ action: 'wait', retryAt: '2024-05-03T06:00:00.000Z' });
    expect(decideRetraining(schedule, recent, DEFAULT_RETRAIN_POLICY)).toMatchObject({ action: 'skip', reason: expect.stringContaining('cool-down until 2024-05-03T06:00:00.000Z') });
    expect(decideRetraining(manual, recent, DEFAULT_RETRAIN_POLICY)).toMatchObject({ action: 'start', reason: 'started by hand by ops@example.com' });
  });

  it('skips without enough new rows', () => {
    expect(decideRetraining(schedule, { ...ready, newRows: 999 }, DEFAULT_RETRAIN_POLICY)).toMatchObject({
      action: 'skip',
      reason: "only 999 new rows since the champion's training, 1000 needed",
    });
  });
});

describe('triggers', () => {
  const rule = { metric: 'accuracy', threshold: 0.8, higherIsBetter: true, minLabels: 200 };

  it('fires on performance decay past the threshold, over enough labels', () => {
    expect(performanceTrigger({ metric: 'accuracy', value: 0.75, labels: 300 }, rule, now)).toEqual({ kind: 'performance', at: now, metric: 'accuracy', value: 0.75, threshold: 0.8, labels: 300 });
    expect(performanceTrigger({ metric: 'accuracy', value: 0.75, labels: 100 }, rule, now)).toBeNull();
    expect(performanceTrigger({ metric: 'accuracy', value: 0.85, labels: 300 }, rule, now)).toBeNull();
    expect(performanceTrigger({ metric: 'rmse', value: 12, labels: 300 }, { ...rule, metric: 'rmse', threshold: 10, higherIsBetter: false }, now)).not.toBeNull();
  });

  it('fires on new-data volume', () => {
    expect(volumeTrigger(10_000, 10_000, now)).toEqual({ kind: 'volume', at: now, newRows: 10_000, threshold: 10_000 });
    expect(volumeTrigger(9_999, 10_000, now)).toBeNull();
    expect(volumeTrigger(50, 0, now)).toBeNull();
  });
});
