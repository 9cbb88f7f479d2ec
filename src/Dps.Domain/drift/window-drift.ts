import type { DriftReference } from './drift-reference';
import type { DriftThresholds } from './drift-thresholds';
import { FeatureDrift, evaluateFeature } from './feature-drift';
import type { WindowSketch } from './window-sketch';

/** A window's verdict: the report's `windows[]` entry. */
export interface WindowDrift {
  start: string;
  end: string;
  rows: number;
  datasetDrift: boolean;
  /** Drifted features / features with a verdict (0 when none has one). */
  share: number;
  drifted: number;
  evaluated: number;
  features: FeatureDrift[];
}

/** What GET /api/models/{model}/drift serves. */
export interface DriftReport {
  reference: string;
  windows: WindowDrift[];
}

/** Evaluates every feature of a window (features set to ignore are left out) and the dataset verdict. */
export function evaluateWindow(reference: DriftReference, sketch: WindowSketch, thresholds: DriftThresholds): WindowDrift {
  const features = reference.features
    .filter((f) => !thresholds.features[f.name]?.ignore && sketch.features[f.name])
    .map((f) => evaluateFeature(f, sketch.features[f.name], thresholds));
  return { start: sketch.start, end: sketch.end, rows: sketch.rows, ...datasetVerdict(features, thresholds) };
}

/** Share of drifted features among those with a verdict; dataset drift when the share reaches the threshold. */
export function datasetVerdict(features: FeatureDrift[], thresholds: DriftThresholds): Pick<WindowDrift, 'datasetDrift' | 'share' | 'drifted' | 'evaluated' | 'features'> {
  const evaluated = features.filter((f) => f.score !== null).length;
  const drifted = features.filter((f) => f.drift).length;
  const share = evaluated === 0 ? 0 : drifted / evaluated;
  return { datasetDrift: evaluated > 0 && share >= thresholds.datasetShare, share, drifted, evaluated, features };
}

/** The report over windows, oldest first. */
export function driftReport(reference: DriftReference, windows: WindowDrift[]): DriftReport {
  return { reference: reference.source, windows };
}
