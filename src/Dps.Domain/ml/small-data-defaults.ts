import { GbdtObjective, GbdtParams } from './gbdt-params';

/** Training rows from which LightGBM-like defaults apply unchanged. */
const LARGE_DATA_ROWS = 10_000;

/**
 * GBDT defaults for `rows` training rows. From 10,000 rows on: defaultGbdtParams (31 leaves, 20 rows per leaf,
 * rate 0.1). Fewer rows get smaller trees, an L2 penalty and a larger early-stopping holdout,
 * because 31-leaf trees on a few thousand noisy rows fit noise and a 10% holdout stops on noise:
 * max(4, 2^floor(log2(rows / 1000))) leaves (4 below 8,000 rows, 8 from 8,000 to 9,999) and 30 patience
 * rounds. Chosen on the bundled churn sample at 2,000 and 5,000 rows
 * (docs/training.md has the figures).
 */
export function gbdtDefaultsFor(objective: GbdtObjective, rows: number): Partial<GbdtParams> & Pick<GbdtParams, 'objective'> {
  if (rows >= LARGE_DATA_ROWS) return { objective };
  const numLeaves = Math.max(4, 2 ** Math.floor(Math.log2(Math.max(rows, 1) / 1000)));
  return {
    objective,
    numLeaves,
    minDataInLeaf: 20,
    lambdaL2: 1,
    validationFraction: 0.2,
    earlyStoppingRounds: 30,
  };
}
