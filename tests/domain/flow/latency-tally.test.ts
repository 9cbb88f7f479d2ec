import { describe, expect, it } from 'vitest';
import { emptyTally, foldPredictions, tallyDay, tallyLatencies } from '../../../src/Dps.Domain/flow/latency-tally';

const served = (model: string, latencyMs: number, partition: string, sequence: number, at = '2026-11-30T10:00:00.000Z') => ({ model, latencyMs, at, partition, sequence });

describe('the predict latency tally', () => {
  it('counts each prediction once at its latency rounded up to the millisecond, per model', () => {
    const { tally, added } = foldPredictions(emptyTally(), [served('churn', 12.2, '0', 5), served('churn', 13, '0', 6), served('loans', 300, '1', 2)]);
    expect(added).toBe(3);
    expect(tally).toEqual({ models: { churn: { 13: 2 }, loans: { 300: 1 } }, seen: { 0: 6, 1: 2 } });
    expect(tallyLatencies([tally]).sort((a, b) => a.ms - b.ms)).toEqual([{ ms: 13, count: 2 }, { ms: 300, count: 1 }]);
  });

  it('skips redelivered events by their partition sequence and leaves the tally it was given unchanged', () => {
    const first = foldPredictions(emptyTally(), [served('churn', 10, '0', 5), served('churn', 20, '1', 9)]).tally;
    const again = foldPredictions(first, [served('churn', 10, '0', 5), served('churn', 30, '0', 6), served('churn', 20, '1', 8)]);
    expect(again.added).toBe(1);
    expect(again.tally.models.churn).toEqual({ 10: 1, 20: 1, 30: 1 });
    expect(first.models.churn).toEqual({ 10: 1, 20: 1 });
    expect(foldPredictions(again.tally, [served('churn', Number.NaN, '0', 7), served('churn', -1, '0', 8)]).added).toBe(0);
  });

  it('files a prediction under its UTC day', () => {
    expect(tallyDay({ at: '2026-11-30T23:59:59.999Z' })).toBe('2026-11-30');
  });
});
