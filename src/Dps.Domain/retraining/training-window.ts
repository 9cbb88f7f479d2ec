import { Result, err, ok } from '../result';

/** A committed silver version of a dataset. */
export interface SilverVersion {
  version: number;
  committedAt: string;
  rows: number;
}

/** Train on the latest N silver versions, or on every version committed in the last N days. */
export type TrainingWindowSettings = { by: 'versions'; latest: number } | { by: 'time'; days: number };

/** The versions a retrain reads, oldest first, and their rows. */
export interface TrainingWindow {
  versions: number[];
  rows: number;
  from: string;
  to: string;
}

/** Selects the training window from a dataset's silver versions; an error says why none qualifies. */
export function selectTrainingWindow(versions: readonly SilverVersion[], settings: TrainingWindowSettings, now: string): Result<TrainingWindow, string> {
  const ordered = [...versions].sort((a, b) => a.version - b.version);
  let chosen: SilverVersion[];
  if (settings.by === 'versions') {
    if (!Number.isInteger(settings.latest) || settings.latest < 1) return err(`training window latest must be a whole number >= 1 (got ${settings.latest})`);
    chosen = ordered.slice(-settings.latest);
  } else {
    if (!(settings.days > 0)) return err(`training window days must be above 0 (got ${settings.days})`);
    const since = Date.parse(now) - settings.days * 86_400_000;
    chosen = ordered.filter((v) => Date.parse(v.committedAt) >= since);
  }
  chosen = chosen.filter((v) => v.rows > 0);
  if (chosen.length === 0) {
    return err(settings.by === 'versions' ? 'no silver version with rows to train on' : `no silver version with rows committed in the last ${settings.days} days`);
  }
  return ok({
    versions: chosen.map((v) => v.version),
    rows: chosen.reduce((s, v) => s + v.rows, 0),
    from: chosen[0].committedAt,
    to: chosen[chosen.length - 1].committedAt,
  });
}

/** Rows in silver versions newer than the one the champion was trained on last. */
export function newRowsSince(versions: readonly SilverVersion[], lastTrainedVersion: number): number {
  return versions.filter((v) => v.version > lastTrainedVersion).reduce((s, v) => s + v.rows, 0);
}
