import type { AppDependencies } from '../app-dependencies';
import { validateBatch } from '../datasets/batch-validation';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { openBatch } from '../ingest/batch-input';
import { batchLayers } from '../storage/blob-layout';
import type { PipelineInput } from './pipeline-run';
import type { ValidationStep } from './validate-batch.activity';

/** The run's input (with its test batch) and the contract revision to check the test batch against. */
export type ValidateTestSetInput = PipelineInput & { contractRevision: number };

export const VALIDATE_TEST_SET = activity<ValidateTestSetInput, ValidationStep>('pipelineValidateTestSet');

/** Checks the test batch against the contract, kept out of the dataset's dedup memory and silver versions; repeated rows are kept (scored as the traffic they stand for). */
export function validateTestSet(deps: AppDependencies): ActivityHandler<ValidateTestSetInput, ValidationStep> {
  return async (input) => {
    const { settings } = deps;
    const test = input.test;
    if (!test) throw new Error(`pipeline of '${input.batch.dataset}': validate-test-set was called without a test batch`);
    const stored = await deps.dataPlane().contracts.revision(input.batch.dataset, input.contractRevision);
    const blobs = deps.storage().blobs;
    const outcome = await validateBatch(blobs, await openBatch(blobs, test.bronze, test.source), {
      contract: stored.contract, contractRevision: stored.revision, keepRepeats: true, piiSalt: settings.piiSalt, source: test.source,
      targets: batchLayers(settings.containers, input.batch.dataset, `test-${test.sha256}`, stored.revision), limits: settings.limits,
    });
    return { status: outcome.status, rows: outcome.rows, errors: outcome.errors, warnings: outcome.warnings, layers: outcome.layers };
  };
}
