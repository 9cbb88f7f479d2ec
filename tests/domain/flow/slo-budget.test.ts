import { describe, expect, it } from 'vitest';
import { flowReport } from '../../../src/Dps.Domain/flow/flow-report';
import { availabilityBudget, eachOnce, latencyBudget } from '../../../src/Dps.Domain/flow/slo-budget';
import { input, run, stage } from './flow-fixtures';

describe('SLO error budgets', () => {
  const latencies = eachOnce(Array.from({ length: 100 }, (_, i) => i + 1));

  it('spends a latency budget with the events over the threshold', () => {
    // p95 <= 97 ms allows 5 slow events of 100; 3 were slower (98, 99, 100): 40% of the budget is left.
    const b = latencyBudget('predict-latency-p99', 95, 97, latencies);
    expect(b).toMatchObject({ total: 100, bad: 3, met: true, observed: 95, objective: 'p95 <= 97 ms', thresholdMs: 97 });
    expect(b.allowedBad).toBeCloseTo(5, 9);
    expect(b.remaining).toBeCloseTo(0.4, 9);
  });

  it('goes below zero when overspent', () => {
    const b = latencyBudget('predict-latency-p99', 99, 90, latencies);
    expect(b).toMatchObject({ bad: 10, met: false, observed: 99 });
    expect(b.remaining).toBeCloseTo(-9, 9);
  });

  it('reads latencies kept as counts per millisecond as it reads them one by one', () => {
    // 90 events at 40 ms, 7 at 97 ms and 3 at 100 ms, kept as counts (in any order, zero counts too) and one by one.
    const counted = [{ ms: 100, count: 3 }, { ms: 40, count: 90 }, { ms: 97, count: 7 }, { ms: 5, count: 0 }];
    const asList = eachOnce([...Array(90).fill(40), ...Array(7).fill(97), 100, 100, 100]);
    const b = latencyBudget('predict-latency-p99', 95, 97, counted);
    expect(b).toEqual(latencyBudget('predict-latency-p99', 95, 97, asList));
    expect(b).toMatchObject({ total: 100, bad: 3, observed: 97 });
    expect(latencyBudget('predict-latency-p99', 99, 97, [])).toMatchObject({ total: 0, remaining: null, observed: null });
  });

  it('spends the availability budget with failed requests and reports none without requests', () => {
    const b = availabilityBudget(0.995, { total: 10_000, failed: 25 });
    expect(b).toMatchObject({ slo: 'availability', bad: 25, met: true, observed: 0.9975 });
    expect(b.remaining).toBeCloseTo(0.5, 9);
    expect(availabilityBudget(0.995, { total: 0, failed: 0 })).toMatchObject({ remaining: null, observed: null, met: true });
  });

  it('measures the pipeline SLO on landing -> end of each finished run', () => {
    // 30-minute objective: the 45-minute run is the one bad event of two; 2 x 5% allows 0.1 of one.
    const runs = [run('fast', 0, [stage('contract', 1, 10)]), run('slow', 100, [stage('contract', 101, 145)])];
    const r = flowReport(input(runs));
    if (!r.ok) throw new Error(r.error.join('; '));
    expect(r.value.slo[0]).toMatchObject({ slo: 'pipeline-lead-time-p95', total: 2, bad: 1, met: false, observed: 45 * 60_000 });
  });
});
