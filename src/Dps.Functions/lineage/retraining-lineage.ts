import type { RetrainInput } from '../retraining/retrain-request';
import type { RetrainResult } from '../retraining/retrain-run';
import type { LineageDescriber } from './lineage-facts';

/**
 * A retraining run: it decides, then starts a training run (its child, which names the silver it
 * reads); the challenger it produced is its output. Skipped is a decision (COMPLETE), failed a FAIL.
 */
export const RETRAINING_LINEAGE: LineageDescriber<RetrainInput, RetrainResult> = {
  job: 'retraining',
  jobType: 'RETRAINING',
  sourcePath: 'src/Dps.Functions/retraining/retrain.orchestration.ts',
  start: () => ({ inputs: [], outputs: [] }),
  end: (_input, result) => ({
    inputs: [],
    outputs: [],
    outputModels: result.trained ? [{ model: result.trained.name, version: result.trained.version }] : [],
    end: result.outcome === 'failed'
      ? { eventType: 'FAIL', status: 'failed', reason: result.error ?? 'the training run failed' }
      : { eventType: 'COMPLETE', status: result.outcome, reason: result.decisions.at(-1)?.reason },
  }),
};
