import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import type { LineageEventType } from '../../Dps.Domain/lineage/run-event';
import type { LineageParent } from '../../Dps.Domain/lineage/run-id';
import type { BlobRef } from '../storage/blob-io';

/** The DPS jobs that emit OpenLineage events. */
export type LineageJob = 'pipeline' | 'training' | 'rollout' | 'ab-test' | 'retraining';

/** One run of a job: the orchestration instance and the run key its OpenLineage run id derives from. */
export interface LineageRun {
  job: LineageJob;
  instanceId: string;
  key: string;
}

/** A blob a run read or wrote, with what the activity needs to describe it: the contract revision of its schema, its row counts. */
export interface LineageBlob {
  blob: BlobRef;
  contract?: { dataset: string; revision: number };
  rows?: RowCounts;
  rowCount?: number;
}

/** A registered model version, resolved to its artifact blob by the activity. */
export interface LineageModel {
  model: string;
  version: number;
}

/** The gold training set a training run materialized (resolved to its blob by the activity, which knows the containers). */
export interface LineageTrainingSet {
  dataset: string;
  sha256: string;
  contractRevision: number;
  windowSize?: number;
}

/**
 * What an orchestration knows about its run, as small JSON it can hand an activity: blobs by
 * reference, model versions, the parent run, and for the last event how the run ended.
 */
export interface LineageRunFacts {
  inputs: LineageBlob[];
  outputs: LineageBlob[];
  inputModels?: LineageModel[];
  outputModels?: LineageModel[];
  outputTrainingSets?: LineageTrainingSet[];
  parent?: LineageParent;
  end?: { eventType: Exclude<LineageEventType, 'START'>; status: string; reason?: string };
}

/** How a job's input and output read as lineage: the facts at its start and at its end. */
export interface LineageDescriber<I, O> {
  job: LineageJob;
  /** The job's type in its JobTypeJobFacet, e.g. `PIPELINE`. */
  jobType: string;
  /** The job's orchestration file, for the SourceCodeLocationJobFacet. */
  sourcePath: string;
  start(input: I): LineageRunFacts;
  end(input: I, output: O): LineageRunFacts & { end: NonNullable<LineageRunFacts['end']> };
}
