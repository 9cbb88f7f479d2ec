import { describe, expect, it } from 'vitest';
import { auc } from '../../../src/Dps.Domain/ml/binary-metrics';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';
import { BINARY_PREDICTION_EDGES, Observation, countObservations, emptyCounters, errorRate, mergeCounters, onlineMetric, p95LatencyMs, predictionsAgree } from '../../../src/Dps.Domain/rollout/rollout-counters';

const binary = { task: 'binary' as const, threshold: 0.5, predictionEdges: BINARY_PREDICTION_EDGES };

describe('rollout counters', () => {
  const random = createRandom(7);
  const observations: Observation[] = [];
  for (let i = 0; i < 400; i++) {
    // Scores at bin centres, so binning loses no order and the binned AUC must equal the exact one.
    const score = (Math.floor(random.next() * 100) + 0.5) / 100;
    observations.push({ kind: 'served', latencyMs: random.next() * 20, score, error: i % 50 === 0 });
    observations.push({ kind: 'outcome', score, label: random.next() < score ? 1 : 0 });
    observations.push({ kind: 'agreement', agreed: i % 4 !== 0 });
  }

  it('counts requests, errors, agreement and the prediction histogram', () => {
    const c = countObservations(observations, binary);
    expect([c.requests, c.errors, c.compared, c.agreed]).toEqual([400, 8, 400, 300]);
    expect(errorRate(c)).toBe(8 / 400);
    expect(c.predictions.reduce((a, b) => a + b, 0)).toBe(392);
    expect(c.predictions).toHaveLength(10);
  });

  it('merging the counters of two halves equals counting everything at once', () => {
    const half = observations.length / 2;
    const merged = mergeCounters(countObservations(observations.slice(0, half), binary), countObservations(observations.slice(half), binary));
    expect(merged).toEqual(countObservations(observations, binary));
    expect(mergeCounters(emptyCounters(BINARY_PREDICTION_EDGES), merged)).toEqual(merged);
  });

  it('online AUC from binned scores equals the exact AUC when scores do not share a bin unevenly', () => {
    const outcomes = observations.filter((o): o is Extract<Observation, { kind: 'outcome' }> => o.kind === 'outcome');
    const exact = auc(Float64Array.from(outcomes, (o) => o.label), Float64Array.from(outcomes, (o) => o.score));
    const metric = onlineMetric(countObservations(outcomes, binary), 'binary');
    expect(metric.name).toBe('auc');
    expect(metric.value).toBeCloseTo(exact, 12);
    expect(metric.labelled).toBe(400);
  });

  it('falls back to accuracy with one labelled class and computes RMSE for regression', () => {
    const oneClass = countObservations([{ kind: 'outcome', score: 0.9, label: 1 }, { kind: 'outcome', score: 0.2, label: 1 }], binary);
    expect(onlineMetric(oneClass, 'binary')).toEqual({ name: 'accuracy', value: 0.5, labelled: 2 });
    const regression = countObservations([{ kind: 'outcome', score: 3, label: 1 }, { kind: 'outcome', score: 1, label: 1 }], { task: 'regression', threshold: 0, predictionEdges: [0, 1, 2] });
    expect(onlineMetric(regression, 'regression')).toEqual({ name: 'rmse', value: Math.sqrt(2), labelled: 2 });
    expect(onlineMetric(emptyCounters(BINARY_PREDICTION_EDGES), 'binary').value).toBeNaN();
  });

  it('p95 latency interpolates within its bucket', () => {
    // 100 rows: 95 at 1.5 ms (bucket [1, 2)), 5 at 40 ms: the 95th is the last of the first bucket.
    const rows: Observation[] = [...Array.from({ length: 95 }, () => ({ kind: 'served' as const, latencyMs: 1.5 })), ...Array.from({ length: 5 }, () => ({ kind: 'served' as const, latencyMs: 40 }))];
    expect(p95LatencyMs(countObservations(rows, binary))).toBe(2);
    const slow = rows.map((r) => ({ ...r, latencyMs: (r as { latencyMs: number }).latencyMs * 10 }));
    expect(p95LatencyMs(countObservations(slow, binary))).toBe(20);
    expect(p95LatencyMs(emptyCounters(BINARY_PREDICTION_EDGES))).toBeNaN();
  });

  it('agreement: same side of the threshold, or within a relative tolerance for regression', () => {
    expect(predictionsAgree({ task: 'binary', threshold: 0.5 }, 0.6, 0.51)).toBe(true);
    expect(predictionsAgree({ task: 'binary', threshold: 0.5 }, 0.6, 0.49)).toBe(false);
    expect(predictionsAgree({ task: 'regression', threshold: 0 }, 100, 109)).toBe(true);
    expect(predictionsAgree({ task: 'regression', threshold: 0 }, 100, 111)).toBe(false);
  });
});
