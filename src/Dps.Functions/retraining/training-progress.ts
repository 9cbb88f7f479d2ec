import type { ModelVersion } from '../../Dps.Domain/registry/model-version';
import { newRowsSince } from '../../Dps.Domain/retraining/training-window';
import type { AppDependencies } from '../app-dependencies';
import { trainingSilvers } from '../drift/champion-reference';
import type { WindowVersion } from './retrain-run';

/** A dataset's silver versions, the newest one a model version trained on, and the rows that landed since. */
export interface TrainingProgress {
  versions: WindowVersion[];
  trainedThrough: number;
  newRows: number;
}

/** Reads a dataset's silver catalog and measures it against what `trained` (if any) was trained on. */
export async function trainingProgress(deps: AppDependencies, dataset: string, trained: ModelVersion | undefined): Promise<TrainingProgress> {
  const catalog = await deps.dataPlane().silver.list(dataset);
  const versions: WindowVersion[] = catalog.map((v) => ({ version: v.version, committedAt: v.createdAt, rows: v.rows.accepted, silver: v.silver, sha256: v.sha256, contractRevision: v.contractRevision }));
  const trainedOn = new Set(trained ? trainingSilvers(trained).map((s) => `${s.container}/${s.name}`) : []);
  const trainedThrough = Math.max(0, ...versions.filter((v) => trainedOn.has(`${v.silver.container}/${v.silver.name}`)).map((v) => v.version));
  return { versions, trainedThrough, newRows: newRowsSince(versions, trainedThrough) };
}
