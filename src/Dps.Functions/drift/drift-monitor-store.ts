import type { DriftThresholds } from '../../Dps.Domain/drift/drift-thresholds';
import { resolveDriftThresholds } from '../../Dps.Domain/drift/drift-thresholds';
import type { HysteresisState } from '../../Dps.Domain/drift/hysteresis';
import type { WindowDrift } from '../../Dps.Domain/drift/window-drift';
import type { WindowSketch } from '../../Dps.Domain/drift/window-sketch';
import type { AppDependencies } from '../app-dependencies';
import { DriftStore } from '../storage/drift-store';
import type { MonitorSettings, MonitorState } from './monitor-state';

/** A closed window as table `drift` keeps it: the verdict, the sketch behind it and the standing status after it. */
export interface StoredWindow {
  index: number;
  referenceVersion: number;
  drift: WindowDrift;
  sketch: WindowSketch;
  hysteresis: HysteresisState;
  changed: boolean;
}

/** The drift table of this app's storage, typed with the monitor's state and windows. */
export function driftStore(deps: AppDependencies): DriftStore<MonitorState, StoredWindow> {
  return new DriftStore(() => deps.storage().table(deps.settings.tables.drift));
}

/** The thresholds the app applies: Evidently's defaults under the DPS_DRIFT_THRESHOLDS overrides (checked when settings are read). */
export function driftThresholds(deps: AppDependencies): DriftThresholds {
  const resolved = resolveDriftThresholds([{ name: 'DPS_DRIFT_THRESHOLDS', overrides: deps.settings.drift.thresholds }]);
  if (!resolved.ok) throw new Error(`app setting ${resolved.error[0]}`);
  return resolved.value;
}

/** Window, hysteresis and threshold settings of the monitor. */
export function monitorSettings(deps: AppDependencies): MonitorSettings {
  return { window: deps.settings.drift.window, hysteresis: deps.settings.drift.hysteresis, thresholds: driftThresholds(deps) };
}
