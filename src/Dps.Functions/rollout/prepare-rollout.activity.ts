import { transformRows } from '../../Dps.Domain/ml/feature-pipeline';
import { predictScores } from '../../Dps.Domain/ml/tabular-model';
import { quantileEdges } from '../../Dps.Domain/data/quantile-bins';
import { multiclassEdges, ScoreSpec } from '../../Dps.Domain/rollout/rollout-counters';
import type { AppDependencies } from '../app-dependencies';
import { readSilverRows } from '../datasets/silver-rows';
import { binaryScoreSpec } from '../serving/loaded-model';
import { activity, ActivityHandler } from '../shared/durable-calls';

/** Rows of the champion's training data scored to place regression prediction bins. */
const EDGE_ROWS = 5000;
const EDGE_BINS = 10;

export const PREPARE_ROLLOUT = activity<{ model: string; champion: number }, ScoreSpec>('rolloutPrepare');

/**
 * How the rollout counts scores: binary models by probability deciles at the champion's threshold;
 * multiclass models by predicted class (agreement = the same class, the online metric accuracy);
 * regression models by deciles of the champion's own predictions on its training rows, so PSI
 * compares like with like.
 */
export function prepareRollout(deps: AppDependencies): ActivityHandler<{ model: string; champion: number }, ScoreSpec> {
  return async ({ model, champion }) => {
    const loaded = await deps.serving().model(model, champion);
    if (loaded.pipeline.task === 'binary') return binaryScoreSpec(loaded.threshold);
    if (loaded.pipeline.task === 'multiclass') return { task: 'multiclass', threshold: 0, predictionEdges: multiclassEdges(loaded.pipeline.label.classes?.length ?? 1) };
    const rows = (await readSilverRows(deps.storage().blobs, loaded.version.lineage.silver)).slice(0, EDGE_ROWS);
    const scores = predictScores(loaded.model, transformRows(loaded.pipeline, rows));
    if (!scores.ok) throw new Error(`champion v${champion} could not score its training rows: ${scores.error}`);
    const sorted = Float64Array.from(scores.value).sort();
    // Scores outside the edges fall in the first or last bin (binIndex), so no infinite edges are needed.
    return { task: 'regression', threshold: 0, predictionEdges: quantileEdges(sorted, EDGE_BINS) };
  };
}
