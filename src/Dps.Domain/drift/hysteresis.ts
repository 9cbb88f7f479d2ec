import { Result, err, ok } from '../result';

/** Consecutive windows needed to enter drift and to recover from it. */
export interface HysteresisSettings {
  enter: number;
  exit: number;
}

/** The monitor's standing verdict and how many windows in a row have disagreed with it. */
export interface HysteresisState {
  status: 'clean' | 'drift';
  streak: number;
  /** End of the window that moved the status last. */
  since?: string;
}

/** A fresh monitor: clean, no streak. */
export const INITIAL_HYSTERESIS: HysteresisState = { status: 'clean', streak: 0 };

/** Checks the settings: both whole numbers >= 1 (errors name the field). */
export function checkHysteresis(settings: HysteresisSettings): Result<HysteresisSettings, string> {
  for (const key of ['enter', 'exit'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) return err(`hysteresis ${key} must be a whole number >= 1 (got ${settings[key]})`);
  }
  return ok(settings);
}

/**
 * Folds one window's verdict into the state: the status flips after `enter` drifted windows in a row
 * (or `exit` clean ones), so one noisy window neither raises nor clears drift. `changed` says it flipped.
 */
export function advanceHysteresis(state: HysteresisState, windowDrift: boolean, windowEnd: string, settings: HysteresisSettings): { state: HysteresisState; changed: boolean } {
  const disagrees = windowDrift !== (state.status === 'drift');
  if (!disagrees) return { state: { ...state, streak: 0 }, changed: false };
  const streak = state.streak + 1;
  const needed = state.status === 'clean' ? settings.enter : settings.exit;
  if (streak < needed) return { state: { ...state, streak }, changed: false };
  return { state: { status: windowDrift ? 'drift' : 'clean', streak: 0, since: windowEnd }, changed: true };
}
