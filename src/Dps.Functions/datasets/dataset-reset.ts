import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import type { PipelineResult } from '../pipeline/pipeline-run';
import { datasetBlobPrefixes } from '../storage/blob-layout';
import { RunsStore } from '../storage/runs-store';
import { isNotFound } from '../storage/storage-errors';

/** What a reset removed, for its answer and its audit event. */
export interface ResetOutcome {
  blobs: number;
  tableRows: number;
  runs: number;
  instances: number;
}

/** A reset refused: pipelines of the dataset are still running. */
export interface ResetBlocked {
  running: string[];
}

const ENDED: df.OrchestrationRuntimeStatus[] = [df.OrchestrationRuntimeStatus.Completed, df.OrchestrationRuntimeStatus.Failed, df.OrchestrationRuntimeStatus.Terminated];
const UNDER_WAY: df.OrchestrationRuntimeStatus[] = [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending, df.OrchestrationRuntimeStatus.Suspended];

/** The dataset's pipeline instances among a list (ids `pipeline-{dataset}-{12 hex}`, so `a` never takes `a-b`'s). */
function ofDataset(statuses: df.DurableOrchestrationStatus[], dataset: string): string[] {
  const prefix = `pipeline-${dataset}-`;
  return statuses.map((s) => s.instanceId).filter((id) => id.startsWith(prefix) && /^[0-9a-f]{12}$/.test(id.slice(prefix.length)));
}

/**
 * Resets a dataset to nothing: its blobs in every layer (landing, bronze, silver, quarantine, gold with
 * the dedup memory, reports), its rows in the datasets table (contract revisions, silver catalog), its
 * runs, and its ended pipeline instances (so the same file ingested again runs again). The audit trail
 * and registered models stay. Refused while a pipeline of the dataset is under way.
 */
export async function resetDataset(deps: AppDependencies, client: df.DurableClient, dataset: string): Promise<{ ok: true; value: ResetOutcome } | { ok: false; error: ResetBlocked }> {
  const running = ofDataset(await client.getStatusBy({ runtimeStatus: UNDER_WAY }), dataset);
  if (running.length > 0) return { ok: false, error: { running } };
  const { blobs } = deps.storage();
  let removedBlobs = 0;
  for (const { container, prefix } of datasetBlobPrefixes(deps.settings.containers, dataset)) {
    const client = blobs.getContainerClient(container);
    if (!(await client.exists())) continue;
    for await (const item of client.listBlobsFlat({ prefix })) {
      await client.deleteBlob(item.name, { deleteSnapshots: 'include' }).catch((error: unknown) => {
        if (!isNotFound(error)) throw error;
      });
      removedBlobs++;
    }
  }
  const tableRows = await deps.dataPlane().contracts.removeDataset(dataset);
  const runs = await new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs)).removeDataset(dataset);
  const ended = ofDataset(await client.getStatusBy({ runtimeStatus: ENDED }), dataset);
  for (const id of ended) await client.purgeInstanceHistory(id);
  return { ok: true, value: { blobs: removedBlobs, tableRows, runs: runs.length, instances: ended.length } };
}
