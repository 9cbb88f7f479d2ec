/** When buffered telemetry is sent: enough events, or the oldest has waited long enough; at most `capacity` held. */
export interface TelemetryBatching {
  maxEvents: number;
  maxAgeMs: number;
  /** Events held at most; beyond it the oldest are dropped (and counted), so a hub that is down cannot exhaust memory. */
  capacity: number;
}

/** 500 events or one second, whichever comes first; 20,000 events held at most. */
export const DEFAULT_TELEMETRY_BATCHING: TelemetryBatching = { maxEvents: 500, maxAgeMs: 1000, capacity: 20_000 };

/** An instance's unsent telemetry: the events in order, since when the oldest waits, and how many were dropped so far. */
export interface TelemetryBufferState<T> {
  events: T[];
  oldestMs?: number;
  dropped: number;
}

/** A buffer with nothing in it. */
export function emptyTelemetryBuffer<T>(): TelemetryBufferState<T> {
  return { events: [], dropped: 0 };
}

/**
 * Adds one request's events; returns the events to send now (all that are held, once `maxEvents` are
 * held or the oldest has waited `maxAgeMs`, else none) and the new state. Past `capacity` the oldest
 * events are dropped and counted in `dropped` (cumulative), never the request's own.
 */
export function bufferTelemetry<T>(state: TelemetryBufferState<T>, events: readonly T[], nowMs: number, policy: TelemetryBatching = DEFAULT_TELEMETRY_BATCHING): { state: TelemetryBufferState<T>; send: T[] } {
  let held = state.events.concat(events);
  let dropped = state.dropped;
  if (held.length > policy.capacity) {
    dropped += held.length - policy.capacity;
    held = held.slice(held.length - policy.capacity);
  }
  const oldestMs = state.oldestMs ?? (held.length > 0 ? nowMs : undefined);
  const due = held.length >= policy.maxEvents || (oldestMs !== undefined && nowMs - oldestMs >= policy.maxAgeMs);
  if (due) return { state: { events: [], dropped }, send: held };
  return { state: { events: held, oldestMs, dropped }, send: [] };
}
