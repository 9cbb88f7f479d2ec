import type { GbdtParams } from './gbdt-params';

/** How a GBDT winner is trained again on every training row: a fixed number of rounds and why that many. */
export interface GbdtRefit {
  params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>;
  rounds: number;
  reason: string;
}

/**
 * Parameters to refit a GBDT winner on `refitRows` rows without a holdout: its own parameters with early stopping
 * off and the rounds it kept (`bestIteration`, chosen on its validation rows while trained on `trainedRows`)
 * scaled by refitRows / trainedRows, rounded, at least 1. More rows at the same learning rate take
 * proportionally more rounds to reach the same fit; this is the usual rule when the final model is refitted on
 * all rows after early stopping on a split (the rounds cannot be chosen again: no rows are left to choose on).
 */
export function gbdtRefit(params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>, bestIteration: number, trainedRows: number, refitRows: number): GbdtRefit {
  const scale = trainedRows > 0 ? refitRows / trainedRows : 1;
  const rounds = Math.max(1, Math.round(bestIteration * scale));
  return {
    params: { ...params, numRounds: rounds, earlyStoppingRounds: 0 },
    rounds,
    reason: `${rounds} rounds: the ${bestIteration} kept by early stopping on ${trainedRows} rows, scaled by ${refitRows} / ${trainedRows} rows`,
  };
}
