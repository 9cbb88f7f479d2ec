import { describe, expect, it } from 'vitest';
import { PIPELINE_LINEAGE } from '../../src/Dps.Functions/lineage/pipeline-lineage';
import { RETRAINING_LINEAGE } from '../../src/Dps.Functions/lineage/retraining-lineage';
import { ROLLOUT_LINEAGE } from '../../src/Dps.Functions/lineage/rollout-lineage';
import { TRAINING_LINEAGE } from '../../src/Dps.Functions/lineage/training-lineage';
import type { PipelineInput, PipelineResult } from '../../src/Dps.Functions/pipeline/pipeline-run';
import type { RolloutInput } from '../../src/Dps.Functions/rollout/rollout-run';
import type { TrainModelInput } from '../../src/Dps.Functions/training/training-run';

const blob = (container: string, name: string) => ({ container, name });
const input: PipelineInput = { batch: { dataset: 'd', bronze: blob('bronze', 'd/abc'), sha256: 'abc', sizeBytes: 10, source: 'http' }, submittedBy: 'me' };
const result = (over: Partial<PipelineResult>): PipelineResult => ({
  instanceId: 'pipeline-d-abc', dataset: 'd', sha256: 'abc', status: 'accepted', rows: { read: 5, accepted: 5, quarantined: 0, duplicates: 0 }, stages: [], errors: [], warnings: [],
  contract: { revision: 2, origin: 'user' }, layers: { silver: blob('silver', 's'), quarantine: blob('quarantine', 'q'), duplicates: blob('quarantine', 'dup'), report: blob('reports', 'r') }, ...over,
});

describe('how runs read as lineage', () => {
  it('a pipeline names the layers that hold rows (and the report), the contract on bronze and silver, and the rows on bronze', () => {
    const facts = PIPELINE_LINEAGE.end(input, result({ profile: blob('gold', 'p') }));
    expect(facts.outputs).toEqual([{ blob: blob('silver', 's'), rowCount: 5, contract: { dataset: 'd', revision: 2 } }, { blob: blob('reports', 'r') }, { blob: blob('gold', 'p') }]);
    expect(facts.inputs).toEqual([{ blob: input.batch.bronze, contract: { dataset: 'd', revision: 2 }, rows: { read: 5, accepted: 5, quarantined: 0, duplicates: 0 } }]);
    expect(facts.end).toMatchObject({ eventType: 'COMPLETE', status: 'accepted' });
  });

  it('a rejected pipeline is a FAIL with its first error, and a batch never validated claims no rows', () => {
    const facts = PIPELINE_LINEAGE.end(input, result({ status: 'rejected', errors: ['no contract', 'second'], layers: undefined, contract: undefined, rows: { read: 0, accepted: 0, quarantined: 0, duplicates: 0 } }));
    expect(facts.end).toEqual({ eventType: 'FAIL', status: 'rejected', reason: 'no contract' });
    expect(facts.inputs).toEqual([{ blob: input.batch.bronze, contract: undefined }]);
    expect(facts.outputs).toEqual([]);
  });

  it('a training run that produced no model is a FAIL naming why, with the silver it read', () => {
    const training = { model: 'd', dataset: 'd', datasetSha256: 'abc', contractRevision: 2, silver: blob('silver', 's'), lineageParent: { job: 'pipeline', key: 'k' } } as TrainModelInput;
    const facts = TRAINING_LINEAGE.end(training, { failed: 'only 3 labelled training rows' });
    expect(facts).toMatchObject({ end: { eventType: 'FAIL', reason: 'only 3 labelled training rows' }, inputs: [{ blob: blob('silver', 's') }], parent: { job: 'pipeline', key: 'k' } });
    expect(facts.outputModels).toBeUndefined();
  });

  it('a rollout rolled back by its gates is COMPLETE, one aborted by a person is ABORT', () => {
    const rollout = { model: 'm', champion: 1, challenger: 2 } as RolloutInput;
    const end = (status: string) => ROLLOUT_LINEAGE.end(rollout, { status, reason: 'why' } as never);
    expect(end('rolledBack').end).toEqual({ eventType: 'COMPLETE', status: 'rolledBack', reason: 'why' });
    expect(end('aborted').end).toEqual({ eventType: 'ABORT', status: 'aborted', reason: 'why' });
    expect(end('promoted').inputModels).toEqual([{ model: 'm', version: 1 }, { model: 'm', version: 2 }]);
  });

  it('a skipped retrain is COMPLETE with the last decision\'s reason, a failed one a FAIL', () => {
    const retrain = { model: 'm', trigger: { kind: 'manual', by: 'me' } } as never;
    const skipped = RETRAINING_LINEAGE.end(retrain, { model: 'm', trigger: { kind: 'manual', by: 'me' } as never, decisions: [{ action: 'skip', reason: 'cool-down', at: 't' }], outcome: 'skipped' });
    expect(skipped.end).toEqual({ eventType: 'COMPLETE', status: 'skipped', reason: 'cool-down' });
    expect(skipped.outputModels).toEqual([]);
    const failed = RETRAINING_LINEAGE.end(retrain, { model: 'm', trigger: { kind: 'manual', by: 'me' } as never, decisions: [], outcome: 'failed', error: 'no usable model' });
    expect(failed.end).toEqual({ eventType: 'FAIL', status: 'failed', reason: 'no usable model' });
  });
});
