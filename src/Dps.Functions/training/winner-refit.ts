import { concatRows } from '../../Dps.Domain/ml/feature-matrix';
import type { ModelBundle } from '../../Dps.Domain/ml/model-bundle';
import type { TabularModel } from '../../Dps.Domain/ml/tabular-model';
import { gbdtRefit } from '../../Dps.Domain/ml/winner-refit';
import type { ScoringDecisions } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { TRAIN_GBDT, TRAIN_LINEAR } from '../compute/compute-tasks';
import type { CandidateResult } from './candidate-result';
import { runClassWeights } from './class-weighting';
import { baselineParams } from './train-baseline.activity';
import { trialGbdtParams } from './train-trial.activity';
import type { TrainingSet } from './training-set';

/** The winner trained again on every training row, and what the registry records about it. */
export interface RefitWinner {
  bundle: ModelBundle;
  refit: NonNullable<ScoringDecisions['refit']>;
}

/**
 * Trains the selected candidate again on fit + validation rows, in the compute pool, with its own parameters
 * (a GBDT with the rounds early stopping kept, scaled to the larger set: see gbdtRefit) and the run's class
 * weights on those rows. The bundle keeps the calibration and threshold decided on the validation split with
 * the fit-rows model: no rows are left to decide them again, and the evaluation rows stay unseen.
 */
export async function refitWinner(
  deps: AppDependencies, winner: CandidateResult, decided: ModelBundle, set: TrainingSet, classWeights: 'auto' | 'none', seed: number,
): Promise<RefitWinner> {
  const { pipeline } = decided;
  const all = concatRows(set.fit, set.validation);
  const rows = all.labels.length;
  const weights = runClassWeights(pipeline, all.labels, classWeights).rowWeights;
  let model: TabularModel;
  let rounds: number | undefined;
  let how: string;
  if (winner.kind === 'gbdt') {
    const trained = winner.trainedRows ?? set.fit.labels.length;
    const plan = gbdtRefit(trialGbdtParams(pipeline, set.fit.labels.length, winner.params), winner.bestIteration ?? 1, trained, rows);
    const result = await deps.compute().run(TRAIN_GBDT, { matrix: all.matrix, labels: all.labels, params: plan.params, seed, weights });
    if (!result.ok) throw new Error(`refitting ${winner.id} on ${rows} rows: ${result.error}`);
    model = { kind: 'gbdt', model: result.value.model };
    rounds = plan.rounds;
    how = plan.reason;
  } else {
    const result = await deps.compute().run(TRAIN_LINEAR, { matrix: all.matrix, labels: all.labels, params: { ...baselineParams(pipeline), ...winner.params }, weights });
    if (!result.ok) throw new Error(`refitting ${winner.id} on ${rows} rows: ${result.error}`);
    model = { kind: 'linear', model: result.value };
    how = 'the same penalty, solved to convergence';
  }
  const reason = `${winner.id} refitted after selection on all ${rows} training rows (${set.fit.labels.length} fit + ${set.validation.labels.length} validation): ${how}; calibration and threshold as decided on the validation split`;
  return { bundle: { ...decided, model }, refit: { rows, ...(rounds !== undefined ? { rounds } : {}), reason } };
}
