import * as df from 'durable-functions';
import type { RowCounts } from '../../Dps.Domain/data/validation-report';
import { PIPELINE } from './pipeline.orchestration';
import type { StageRecord } from './stage-tracker';

/** A pipeline still under way, as its Durable status shows it (a run reaches the runs table when it ends). */
export interface RunningPipeline {
  instanceId: string;
  createdTime: string;
  dataset: string;
  stages: StageRecord[];
  rows: RowCounts;
}

/** Pipelines running or pending, newest first, from their Durable custom status (dataset, stages, rows). */
export async function runningPipelines(client: df.DurableClient): Promise<RunningPipeline[]> {
  const live = await client.getStatusBy({ runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending] });
  return live
    .filter((s) => s.name === PIPELINE.name && s.customStatus !== null && typeof s.customStatus === 'object' && 'dataset' in (s.customStatus as object))
    .map((s) => {
      const progress = s.customStatus as Pick<RunningPipeline, 'dataset' | 'stages' | 'rows'>;
      return { instanceId: s.instanceId, createdTime: new Date(s.createdTime).toISOString(), dataset: progress.dataset, stages: progress.stages ?? [], rows: progress.rows };
    })
    .sort((a, b) => b.createdTime.localeCompare(a.createdTime));
}
