import { Result, err, ok } from '../result';
import { GbdtParams, defaultGbdtParams } from './gbdt-params';
import { gbdtDefaultsFor } from './small-data-defaults';
import { createRandom, deriveSeed } from './seeded-random';

/** The knobs a trial varies; everything else comes from the run's base parameters. */
export type TrialParams = Pick<GbdtParams, 'learningRate' | 'numLeaves' | 'minDataInLeaf' | 'lambdaL2' | 'featureFraction'>;

/** One hyperparameter trial: its number and the parameters it tries. */
export interface TrialSpec {
  trial: number;
  params: TrialParams;
}

/** What a finished trial reports back; lower validation loss is better. */
export interface TrialOutcome {
  trial: number;
  validationLoss: number;
}


/**
 * Parameters of trial `index` (0-based) of a search seeded with `seed` over `rows` training rows (default: many),
 * computable on its own so trials can run as independent activities. Train a trial with
 * `{ ...gbdtDefaultsFor(objective, rows), ...params }`. Draws: learning rate log-uniform in [0.05, 0.2], numLeaves log-uniform in [L/2, 2L] around the default L (at least 4),
 * minDataInLeaf in [10, 50], lambdaL2 in [0, 5], featureFraction in [0.7, 1.0].
 */
export function trialParams(seed: number, index: number, rows = Infinity): TrialParams {
  const defaults = { ...defaultGbdtParams('binary'), ...gbdtDefaultsFor('binary', rows) };
  // Trial 0 tries the defaults, so a search never does worse than them on validation.
  if (index === 0) {
    const { learningRate, numLeaves, minDataInLeaf, lambdaL2, featureFraction } = defaults;
    return { learningRate, numLeaves, minDataInLeaf, lambdaL2, featureFraction };
  }
  const random = createRandom(deriveSeed(seed, index));
  const logUniform = (low: number, high: number): number => Math.exp(Math.log(low) + random.next() * (Math.log(high) - Math.log(low)));
  return {
    learningRate: round(logUniform(0.05, 0.2), 4),
    numLeaves: Math.round(logUniform(Math.max(4, defaults.numLeaves / 2), defaults.numLeaves * 2)),
    minDataInLeaf: 10 + random.nextInt(41),
    lambdaL2: round(random.next() * 5, 3),
    featureFraction: round(0.7 + random.next() * 0.3, 3),
  };
}

/**
 * `count` trials for a search seeded with `seed` over `rows` training rows. Train every trial with the same
 * training seed (and so the same validation split) so that their validation losses compare like with like.
 */
export function generateTrials(count: number, seed: number, rows = Infinity): TrialSpec[] {
  return Array.from({ length: count }, (_, trial) => ({ trial, params: trialParams(seed, trial, rows) }));
}

/** The trial with the lowest finite validation loss; ties go to the lower trial number. */
export function pickBestTrial<T extends TrialOutcome>(outcomes: T[]): Result<T> {
  let best: T | null = null;
  for (const outcome of outcomes) {
    if (!Number.isFinite(outcome.validationLoss)) continue;
    if (
      best === null ||
      outcome.validationLoss < best.validationLoss ||
      (outcome.validationLoss === best.validationLoss && outcome.trial < best.trial)
    ) {
      best = outcome;
    }
  }
  return best === null ? err('no trial reported a finite validation loss') : ok(best);
}

// Rounded values read well in run records and model cards.
function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
