import type * as df from 'durable-functions';
import { PIPELINE } from '../pipeline/pipeline.orchestration';
import type { PipelineInput } from '../pipeline/pipeline-run';
import { startOrchestration } from '../shared/durable-calls';
import { pipelineInstanceId } from '../../Dps.Domain/data/dataset-names';
import type { BronzeBatch } from '../datasets/bronze-store';
import { findInstance } from '../shared/durable-status';

/** What happened to a submitted batch. */
export interface Submission {
  instanceId: string;
  /** True when this content was already processed (or is being processed) for the dataset. */
  repeat: boolean;
  runtimeStatus: string;
}

/**
 * Starts the pipeline of a batch landed in bronze, under the deterministic id
 * `pipeline-{dataset}-{sha256[0..12]}`. The same content again is a repeat and starts nothing, unless
 * its earlier run failed or was rejected: then it runs again (say, after a contract fix).
 */
export async function submitBatch(
  client: df.DurableClient,
  request: { batch: BronzeBatch; label?: string; test?: BronzeBatch; submittedBy: string },
): Promise<Submission> {
  const { batch } = request;
  const instanceId = pipelineInstanceId(batch.dataset, batch.sha256);
  const existing = await findInstance(client, instanceId);
  const status = existing?.runtimeStatus as string | undefined;
  const earlier = existing?.output as { status?: string } | undefined;
  const rerun = status === undefined || status === 'Failed' || status === 'Terminated' || (status === 'Completed' && earlier?.status !== 'accepted');
  if (!rerun) return { instanceId, repeat: true, runtimeStatus: status as string };
  // The batch landed when it was accepted here (HTTP ingest or landing trigger): the start of its lead time.
  const input: PipelineInput = { batch, label: request.label, test: request.test, submittedBy: request.submittedBy, landedAt: new Date().toISOString() };
  await startOrchestration(client, PIPELINE, instanceId, input);
  return { instanceId, repeat: status !== undefined, runtimeStatus: 'Pending' };
}
