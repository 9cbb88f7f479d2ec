import { EventType, historyEvent, HistoryEvent } from './history';
import type { LiveInstance } from './live-instance';

/** setTimeout cannot wait longer than ~24.8 days; longer timers re-arm. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Arms a durable timer in memory: at its FireAt, `deliver` gets the TimerFired event. */
export function armTimer(inst: LiveInstance, created: HistoryEvent, deliver: (fired: HistoryEvent, generation: number) => void): void {
  const fireAt = new Date(created.FireAt as string);
  const wait = fireAt.getTime() - Date.now();
  const generation = inst.meta.generation;
  const timer = setTimeout(() => {
    inst.timers.delete(created.EventId);
    if (wait > MAX_TIMEOUT_MS) return armTimer(inst, created, deliver);
    deliver(historyEvent(EventType.TimerFired, new Date(), { TimerId: created.EventId, FireAt: created.FireAt }), generation);
  }, Math.max(0, Math.min(wait, MAX_TIMEOUT_MS)));
  inst.timers.set(created.EventId, timer);
}

/** Disarms every timer of an instance (it ended, continued as new, or the host stops). */
export function clearTimers(inst: LiveInstance): void {
  for (const t of inst.timers.values()) clearTimeout(t);
  inst.timers.clear();
}
