import { DriftReference, ReferenceColumn, ReferenceOptions, buildDriftReference, presentNumbers } from './drift-reference';
import type { DriftThresholds } from './drift-thresholds';
import { evaluateFeature } from './feature-drift';
import { distinctSorted } from './numeric-grid';
import { WindowDrift, datasetVerdict } from './window-drift';
import { createSketchWriter, createWindowSketch } from './window-sketch';

/** The verdict of a whole current dataset against a whole reference, without window bounds. */
export type DatasetDrift = Omit<WindowDrift, 'start' | 'end'>;

/**
 * Compares two datasets column by column with exact statistics (for `dps drift` and batch checks):
 * every value of either side becomes a grid edge, so KS, Wasserstein, chi-squared and Jensen-Shannon
 * equal scipy's on the same columns. Columns are matched by name; the reference's columns decide.
 */
export function compareDatasets(
  source: string,
  reference: ReferenceColumn[],
  current: ReferenceColumn[],
  thresholds: DriftThresholds,
  options: Pick<ReferenceOptions, 'profile'> = {},
): DatasetDrift {
  const byName = new Map(current.map((c) => [c.name, c]));
  const extraEdges: Record<string, number[]> = {};
  for (const c of current) if (c.kind === 'numeric') extraEdges[c.name] = distinctSorted(presentNumbers(c.values).sort());
  const ref: DriftReference = buildDriftReference(source, reference, { ...options, exactDistinct: Infinity, extraEdges });
  const sketch = createWindowSketch(ref, '', '', Infinity);
  const writer = createSketchWriter(ref);
  const rows = current.length === 0 ? 0 : current[0].values.length;
  for (const f of ref.features) {
    const column = byName.get(f.name);
    if (column) writer.addColumn(sketch, f.name, column.values);
  }
  const features = ref.features
    .filter((f) => byName.has(f.name) && !thresholds.features[f.name]?.ignore)
    .map((f) => evaluateFeature(f, sketch.features[f.name], thresholds));
  return { rows, ...datasetVerdict(features, thresholds) };
}
