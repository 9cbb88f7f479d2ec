import { app, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { landBlobInBronze } from '../datasets/bronze-store';
import { landingPattern, parseLandingPath } from '../storage/blob-layout';
import { submitBatch } from './submit-batch';
import { blobTriggerPath } from '../shared/blob-trigger-path';
import { registerBlobReferenceBinding } from '../shared/blob-reference-binding';

/** Registers the blob trigger on `landing/{dataset}/{name}`: each landed file starts the pipeline. */
export function registerLandingTrigger(deps: AppDependencies): void {
  registerBlobReferenceBinding();
  app.storageBlob('landingBlob', {
    path: landingPattern(deps.settings.containers),
    // The data account (locally unset: the host's storage, as readStorageConnection falls back).
    connection: 'DpsDataStorage',
    // Flex Consumption only supports Event Grid-sourced blob triggers.
    source: 'EventGrid',
    // An SDK-type binding: the host hands over a reference, not the content, and the file is streamed
    // from storage into bronze, so no copy of it is held in memory (a landed file may be far larger).
    sdkBinding: true,
    extraInputs: [df.input.durableClient()],
    handler: async (_blob: unknown, context: InvocationContext): Promise<void> => {
      const path = blobTriggerPath(context);
      const landed = path !== undefined ? parseLandingPath(deps.settings.containers, path) : undefined;
      if (path === undefined || !landed) {
        // An admin invocation without a path, or with one outside landing: nothing to land, nothing to retry.
        context.error(`landingBlob takes a file of the landing container, '${deps.settings.containers.landing}/{dataset}/{file}'; got ${path !== undefined ? `'${path}'` : 'no path'}`);
        return;
      }
      const { dataset } = landed;
      const problem = checkDatasetName(dataset);
      if (problem) {
        // Nothing to retry: the path itself is wrong. The blob stays in landing for the user to move.
        context.error(`${path}: ${problem}`);
        return;
      }
      const batch = await landBlobInBronze(deps.storage().blobs, deps.settings.containers, dataset, landed.blob, path);
      const submission = await submitBatch(df.getClient(context), { batch, submittedBy: 'system' });
      context.log(`${path}: pipeline ${submission.instanceId}${submission.repeat ? ' (repeat)' : ''}`);
    },
  });
}
