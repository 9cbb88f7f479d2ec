import { Result, err, ok } from '../result';
import type { WindowSketch } from './window-sketch';

/** Windows close after a number of rows, or at fixed time boundaries; either way below minRows there is no verdict. */
export type WindowSettings = { by: 'rows'; rows: number; minRows: number } | { by: 'time'; minutes: number; minRows: number };

/** Where a window stands: still filling, ready for a verdict, or closed with too few rows for one. */
export type WindowState = 'open' | 'complete' | 'tooSmall';

/**
 * Reads window settings (from app settings, e.g. DRIFT_WINDOW_BY=rows|time, DRIFT_WINDOW_ROWS,
 * DRIFT_WINDOW_MINUTES, DRIFT_WINDOW_MIN_ROWS); errors name the setting and the rule.
 */
export function parseWindowSettings(input: { by?: string; rows?: number; minutes?: number; minRows?: number }): Result<WindowSettings, string> {
  const minRows = input.minRows ?? 100;
  if (!Number.isInteger(minRows) || minRows < 1) return err(`window minRows must be a whole number >= 1 (got ${input.minRows})`);
  const by = input.by ?? 'rows';
  if (by === 'rows') {
    const rows = input.rows ?? 10_000;
    if (!Number.isInteger(rows) || rows < minRows) return err(`window rows must be a whole number >= minRows ${minRows} (got ${input.rows})`);
    return ok({ by, rows, minRows });
  }
  if (by === 'time') {
    const minutes = input.minutes ?? 60;
    if (!Number.isInteger(minutes) || minutes < 1 || 1440 % minutes !== 0) return err(`window minutes must be a whole divisor of 1440 (a day) (got ${input.minutes})`);
    return ok({ by, minutes, minRows });
  }
  return err(`window by must be 'rows' or 'time' (got '${by}')`);
}

/** The time window holding an instant (epoch ms): aligned to multiples of its length from midnight UTC. */
export function timeWindowOf(epochMs: number, minutes: number): { start: string; end: string } {
  const length = minutes * 60_000;
  const start = Math.floor(epochMs / length) * length;
  return { start: new Date(start).toISOString(), end: new Date(start + length).toISOString() };
}

/** The row window after one ending at row position `previousEnd` (0 for the first): bounds as row positions. */
export function nextRowWindow(previousEnd: number, settings: { rows: number }): { start: string; end: string } {
  return { start: String(previousEnd), end: String(previousEnd + settings.rows) };
}

/** Whether a (merged) window sketch is ready for a verdict at `nowMs`. */
export function windowState(settings: WindowSettings, sketch: Pick<WindowSketch, 'rows' | 'end'>, nowMs: number): WindowState {
  if (settings.by === 'rows') return sketch.rows >= settings.rows ? 'complete' : 'open';
  if (nowMs < Date.parse(sketch.end)) return 'open';
  return sketch.rows >= settings.minRows ? 'complete' : 'tooSmall';
}
