import { app, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { landingPath, landingPattern } from '../storage/blob-layout';
import { submitBatch } from './submit-batch';

/** Registers the blob trigger on `landing/{dataset}/{name}`: each landed file starts the pipeline. */
export function registerLandingTrigger(deps: AppDependencies): void {
  app.storageBlob('landingBlob', {
    path: landingPattern(deps.settings.containers),
    // The data account (locally unset: the host's storage, as readStorageConnection falls back).
    connection: 'DpsDataStorage',
    // Flex Consumption only supports Event Grid-sourced blob triggers.
    source: 'EventGrid',
    extraInputs: [df.input.durableClient()],
    handler: async (blob: unknown, context: InvocationContext): Promise<void> => {
      const { dataset, name } = context.triggerMetadata as { dataset: string; name: string };
      const problem = checkDatasetName(dataset);
      if (problem) {
        // Nothing to retry: the path itself is wrong. The blob stays in landing for the user to move.
        context.error(`landing/${dataset}/${name}: ${problem}`);
        return;
      }
      const submission = await submitBatch(deps, df.getClient(context), {
        dataset, bytes: blob as Buffer, source: landingPath(deps.settings.containers, dataset, name), submittedBy: 'system',
      });
      context.log(`landing/${dataset}/${name}: pipeline ${submission.instanceId}${submission.repeat ? ' (repeat)' : ''}`);
    },
  });
}
