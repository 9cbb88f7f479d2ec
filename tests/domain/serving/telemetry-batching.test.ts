import { describe, expect, it } from 'vitest';
import { bufferTelemetry, emptyTelemetryBuffer } from '../../../src/Dps.Domain/serving/telemetry-batching';

const policy = { maxEvents: 5, maxAgeMs: 1000, capacity: 8 };

describe('telemetry batching', () => {
  it('holds events until enough arrived, then sends all of them in order', () => {
    let state = emptyTelemetryBuffer<number>();
    const first = bufferTelemetry(state, [1, 2], 0, policy);
    expect(first.send).toEqual([]);
    state = first.state;
    const second = bufferTelemetry(state, [3, 4, 5], 10, policy);
    expect(second.send).toEqual([1, 2, 3, 4, 5]);
    expect(second.state).toEqual({ events: [], dropped: 0 });
  });

  it('sends when the oldest event has waited long enough, counted from when it arrived', () => {
    const held = bufferTelemetry(emptyTelemetryBuffer<number>(), [1], 100, policy).state;
    expect(bufferTelemetry(held, [2], 1099, policy).send).toEqual([]);
    expect(bufferTelemetry(held, [2], 1100, policy).send).toEqual([1, 2]);
  });

  it('drops the oldest events beyond its capacity and counts them', () => {
    const state = { events: [1, 2, 3, 4], oldestMs: 0, dropped: 1 };
    const out = bufferTelemetry(state, [5, 6, 7, 8, 9, 10], 0, { ...policy, maxEvents: 100 });
    expect(out.send).toEqual([]);
    expect(out.state).toEqual({ events: [3, 4, 5, 6, 7, 8, 9, 10], oldestMs: 0, dropped: 3 });
  });
});
