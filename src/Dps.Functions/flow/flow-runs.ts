import type { FlowRun, FlowStage } from '../../Dps.Domain/flow/flow-records';
import type { BlobRef } from '../storage/blob-io';
import type { PipelineResult } from '../pipeline/pipeline-run';
import type { RunningPipeline } from '../pipeline/running-pipelines';
import type { StageRecord } from '../pipeline/stage-tracker';

/** A silver version's replay sources, to count the replays of a run's quarantine. */
export interface ReplaySources {
  replayedFrom?: BlobRef[];
}

const stagesOf = (stages: readonly StageRecord[]): FlowStage[] =>
  stages.map((s) => ({ name: s.name, status: s.status, startedAt: s.startedAt, ...(s.endedAt ? { endedAt: s.endedAt } : {}) }));

/**
 * A finished run as the flow metrics read it (docs/flow.md): landed when the batch landed (recorded
 * since runs carry `landedAt`; older runs fall back to their first stage's start), registered when its
 * train stage ended, reworked once for each replay of its quarantine file.
 */
export function flowRunOf(result: PipelineResult, replays: readonly ReplaySources[]): FlowRun {
  const quarantine = result.layers?.quarantine;
  const train = result.stages.find((s) => s.name === 'train');
  const model = result.model && train?.endedAt
    ? { name: result.model.name, version: result.model.version, alias: result.model.alias === 'champion' ? 'champion' as const : 'challenger' as const, registeredAt: train.endedAt }
    : undefined;
  return {
    id: result.instanceId,
    dataset: result.dataset,
    landedAt: result.landedAt ?? result.stages[0]?.startedAt ?? '',
    status: result.status,
    stages: stagesOf(result.stages),
    rows: result.rows,
    replays: quarantine ? replays.filter((r) => r.replayedFrom?.some((b) => b.container === quarantine.container && b.name === quarantine.name)).length : 0,
    ...(model ? { model } : {}),
  };
}

/** A run under way: landed when its instance was created, its stages so far. */
export function runningFlowRun(run: RunningPipeline): FlowRun {
  return { id: run.instanceId, dataset: run.dataset, landedAt: run.createdTime, status: 'running', stages: stagesOf(run.stages), rows: run.rows, replays: 0 };
}
