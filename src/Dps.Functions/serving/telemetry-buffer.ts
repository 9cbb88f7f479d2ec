import { DEFAULT_TELEMETRY_BATCHING, TelemetryBatching, TelemetryBufferState, bufferTelemetry, emptyTelemetryBuffer } from '../../Dps.Domain/serving/telemetry-batching';
import type { PredictionTelemetry } from '../../Dps.Domain/serving/prediction-telemetry';

/**
 * This instance's unsent prediction telemetry, following the Domain's batching policy: predict adds
 * each request's events and sends what the policy releases through its own output binding, so most
 * requests send nothing and the hub (and the drift monitor behind it) gets few large batches.
 */
export class TelemetryBuffer {
  private state: TelemetryBufferState<PredictionTelemetry> = emptyTelemetryBuffer();
  private reportedDrops = 0;

  constructor(private readonly policy: TelemetryBatching = DEFAULT_TELEMETRY_BATCHING) {}

  /** Adds a request's events; returns those to send with this invocation, and how many were dropped since the last call that reported drops. */
  add(events: readonly PredictionTelemetry[], nowMs: number): { send: PredictionTelemetry[]; newlyDropped: number } {
    const next = bufferTelemetry(this.state, events, nowMs, this.policy);
    this.state = next.state;
    const newlyDropped = this.state.dropped - this.reportedDrops;
    this.reportedDrops = this.state.dropped;
    return { send: next.send, newlyDropped };
  }

  /** Events held and dropped so far (for the shutdown log and the health answer). */
  stats(): { held: number; dropped: number } {
    return { held: this.state.events.length, dropped: this.state.dropped };
  }
}
