import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { DriftReference } from '../../Dps.Domain/drift/drift-reference';
import type { DriftThresholds } from '../../Dps.Domain/drift/drift-thresholds';
import { WindowSettings, nextRowWindow, timeWindowOf, windowState } from '../../Dps.Domain/drift/drift-windows';
import { HysteresisSettings, HysteresisState, INITIAL_HYSTERESIS, advanceHysteresis } from '../../Dps.Domain/drift/hysteresis';
import { WindowDrift, evaluateWindow } from '../../Dps.Domain/drift/window-drift';
import { WindowSketch, createSketchWriter, createWindowSketch } from '../../Dps.Domain/drift/window-sketch';

/** One model's drift monitor, as its row in table `drift` keeps it (merged by every instance under an ETag). */
export interface MonitorState {
  model: string;
  /** The champion version whose training data is the reference, and the reference's source. */
  referenceVersion: number;
  reference: string;
  /** Windows still filling: one for row windows, one per time window that has rows. */
  open: WindowSketch[];
  /** Rows seen since the reference was set (row windows count positions from here). */
  rows: number;
  /** Windows closed so far (their number is the key of their stored row). */
  closed: number;
  /** Time windows that ended with too few rows for a verdict. */
  tooSmall: number;
  hysteresis: HysteresisState;
  /** Highest Event Hubs sequence number applied, per partition: redelivered events are recognised. */
  partitions: Record<string, number>;
  /** The drift episode (its `hysteresis.since`) that has asked for a retrain already. */
  retrainRequested?: string;
}

/** A telemetry row for the monitor: where it sits in its partition, when it was scored, its mapped inputs. */
export interface MonitoredRow {
  partition: string;
  sequence: number;
  at: string;
  values: Record<string, TypedValue>;
}

/** A window that closed in this fold: its number, verdict and sketch (for the report's histograms). */
export interface ClosedWindow {
  index: number;
  drift: WindowDrift;
  sketch: WindowSketch;
  /** The standing verdict after this window, and whether this window flipped it. */
  hysteresis: HysteresisState;
  changed: boolean;
}

/** What the monitor applies: window and hysteresis settings and the resolved thresholds. */
export interface MonitorSettings {
  window: WindowSettings;
  hysteresis: HysteresisSettings;
  thresholds: DriftThresholds;
}

/** A fresh monitor on a reference (a new champion starts clean: its reference is the recent data). */
export function newMonitor(model: string, referenceVersion: number, reference: DriftReference, previous?: MonitorState): MonitorState {
  return {
    model, referenceVersion, reference: reference.source, open: [], rows: 0, closed: previous?.closed ?? 0, tooSmall: previous?.tooSmall ?? 0,
    hysteresis: INITIAL_HYSTERESIS, partitions: previous?.partitions ?? {},
  };
}

/**
 * Folds a batch of telemetry rows into a monitor: rows at or below a partition's applied sequence are
 * skipped (redelivery), the rest go into their window's sketch; windows that are complete (rows
 * reached, or time over with enough rows) are evaluated and passed through hysteresis in order. Pure:
 * the caller stores the state under its ETag and the closed windows under their numbers.
 */
export function foldRows(state: MonitorState, reference: DriftReference, rows: readonly MonitoredRow[], settings: MonitorSettings, nowMs: number): { state: MonitorState; closed: ClosedWindow[]; applied: number } {
  const next: MonitorState = { ...state, open: state.open.map((s) => structuredClone(s)), partitions: { ...state.partitions }, hysteresis: { ...state.hysteresis } };
  const writer = createSketchWriter(reference);
  const closed: ClosedWindow[] = [];
  const close = (sketch: WindowSketch) => {
    const drift = evaluateWindow(reference, sketch, settings.thresholds);
    const moved = advanceHysteresis(next.hysteresis, drift.datasetDrift, drift.end, settings.hysteresis);
    next.hysteresis = moved.state;
    closed.push({ index: next.closed++, drift, sketch, hysteresis: moved.state, changed: moved.changed });
  };
  let applied = 0;
  for (const row of rows) {
    const last = next.partitions[row.partition];
    if (last !== undefined && row.sequence <= last) continue;
    next.partitions[row.partition] = row.sequence;
    applied++;
    const window = settings.window;
    if (window.by === 'rows') {
      if (next.open.length === 0) {
        const bounds = nextRowWindow(next.rows, window);
        next.open.push(createWindowSketch(reference, bounds.start, bounds.end));
      }
      const sketch = next.open[0];
      writer.addRow(sketch, row.values);
      next.rows++;
      if (windowState(window, sketch, nowMs) === 'complete') {
        next.open = [];
        close(sketch);
      }
    } else {
      const bounds = timeWindowOf(Date.parse(row.at), window.minutes);
      let sketch = next.open.find((s) => s.start === bounds.start);
      if (!sketch) {
        sketch = createWindowSketch(reference, bounds.start, bounds.end);
        next.open.push(sketch);
        next.open.sort((a, b) => (a.start < b.start ? -1 : 1));
      }
      writer.addRow(sketch, row.values);
      next.rows++;
    }
  }
  if (settings.window.by === 'time') {
    const window = settings.window;
    const still: WindowSketch[] = [];
    for (const sketch of next.open) {
      const status = windowState(window, sketch, nowMs);
      if (status === 'complete') close(sketch);
      else if (status === 'tooSmall') next.tooSmall++;
      else still.push(sketch);
    }
    next.open = still;
  }
  return { state: next, closed, applied };
}
