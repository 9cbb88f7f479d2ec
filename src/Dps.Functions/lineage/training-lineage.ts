import { silversOf, TrainedModel, TrainModelInput } from '../training/training-run';
import type { LineageDescriber, LineageRunFacts } from './lineage-facts';

/** The silver blobs (and test set) a training run reads, under the contract revision it trains on. */
function trainingInputs(input: TrainModelInput): LineageRunFacts {
  const contract = { dataset: input.dataset, revision: input.contractRevision };
  return {
    inputs: [...silversOf(input), ...(input.test ? [input.test] : [])].map((blob) => ({ blob, contract })),
    outputs: [],
    parent: input.lineageParent,
  };
}

/** A training run: the silver window (and test set) in, the gold training set and the registered version's artifact out; no usable model is a FAIL. */
export const TRAINING_LINEAGE: LineageDescriber<TrainModelInput, TrainedModel | { failed: string }> = {
  job: 'training',
  jobType: 'TRAINING',
  sourcePath: 'src/Dps.Functions/training/train-model.orchestration.ts',
  start: trainingInputs,
  end: (input, trained) => 'failed' in trained
    ? { ...trainingInputs(input), end: { eventType: 'FAIL', status: 'failed', reason: trained.failed } }
    : {
      ...trainingInputs(input),
      outputModels: [{ model: trained.name, version: trained.version }],
      outputTrainingSets: [{ dataset: input.dataset, sha256: input.datasetSha256, contractRevision: input.contractRevision, windowSize: input.silverWindow?.length }],
      end: { eventType: 'COMPLETE', status: trained.alias, reason: `${trained.name} v${trained.version} (${trained.algorithm}) registered as ${trained.alias}` },
    },
};
