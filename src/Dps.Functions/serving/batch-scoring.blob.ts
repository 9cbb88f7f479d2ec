import { createHash } from 'node:crypto';
import { app, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import type { AppDependencies } from '../app-dependencies';
import { startOrchestration } from '../shared/durable-calls';
import { findInstance } from '../shared/durable-status';
import { parseScoringPath, scoringPattern } from '../storage/blob-layout';
import { BATCH_SCORING } from './batch-scoring.orchestration';
import { blobTriggerPath } from '../shared/blob-trigger-path';
import { registerBlobReferenceBinding } from '../shared/blob-reference-binding';

/** Rows per chunk: a chunk is scored by one activity, in memory, so this bounds an activity's memory. */
export const BATCH_SCORING_CHUNK_ROWS = 2000;

/** The run's instance id: one per landed path, so landing the file again scores it again once the run before has ended. */
export function batchScoringInstanceId(model: string, path: string): string {
  return `batch-score-${model}-${createHash('sha256').update(path).digest('hex').slice(0, 16)}`;
}

/** Registers the blob trigger on `scoring/{model}/{name}`: each landed file is scored by the model's champion. */
export function registerBatchScoringTrigger(deps: AppDependencies): void {
  registerBlobReferenceBinding();
  app.storageBlob('scoringBlob', {
    path: scoringPattern(deps.settings.containers),
    // The data account (locally unset: the host's storage), as the landing trigger.
    connection: 'DpsDataStorage',
    // Flex Consumption only supports Event Grid-sourced blob triggers.
    source: 'EventGrid',
    // An SDK-type binding: the host hands over a reference, not the content; the orchestration streams
    // the file from storage chunk by chunk, so a large scoring file is never held in memory whole.
    sdkBinding: true,
    extraInputs: [df.input.durableClient()],
    handler: async (_blob: unknown, context: InvocationContext): Promise<void> => {
      const path = blobTriggerPath(context);
      const landed = path !== undefined ? parseScoringPath(deps.settings.containers, path) : undefined;
      if (path === undefined || !landed) {
        context.error(`scoringBlob takes a file of the scoring container, '${deps.settings.containers.scoring}/{model}/{file}'; got ${path !== undefined ? `'${path}'` : 'no path'}`);
        return;
      }
      const problem = checkDatasetName(landed.model);
      if (problem) {
        // Nothing to retry: the path itself is wrong. The file stays for the user to move.
        context.error(`${path}: the model name: ${problem}`);
        return;
      }
      const client = df.getClient(context);
      const instanceId = batchScoringInstanceId(landed.model, path);
      const running = (await findInstance(client, instanceId))?.runtimeStatus as string | undefined;
      if (running === 'Running' || running === 'Pending') {
        context.error(`${path}: batch scoring ${instanceId} is still running; land the file again once it has finished`);
        return;
      }
      await startOrchestration(client, BATCH_SCORING, instanceId, { model: landed.model, file: landed.blob, stem: landed.stem, chunkRows: BATCH_SCORING_CHUNK_ROWS });
      context.log(`${path}: batch scoring ${instanceId}`);
    },
  });
}
