import * as df from 'durable-functions';
import type { FlowInput } from '../../Dps.Domain/flow/flow-records';
import { tallyLatencies } from '../../Dps.Domain/flow/latency-tally';
import { FlowReport, flowReport } from '../../Dps.Domain/flow/flow-report';
import type { Result } from '../../Dps.Domain/result';
import type { AppDependencies } from '../app-dependencies';
import { runningPipelines } from '../pipeline/running-pipelines';
import type { PipelineResult } from '../pipeline/pipeline-run';
import { RunsStore } from '../storage/runs-store';
import { latestRollouts } from './flow-rollouts';
import { readTallies } from './latency-tally-store';
import { flowRunOf, runningFlowRun } from './flow-runs';
import type { FlowWindow } from './flow-window';

/**
 * Everything `flowReport` reads, gathered from the stores (docs/flow.md, "How the Functions side fills
 * the input"): finished runs from `runs`, runs under way from Durable, replays from each dataset's silver
 * versions, each trained model's latest rollout from its Durable instance, served predictions by
 * latency from the daily tallies the drift monitor's telemetry feeds, prices and SLOs from the settings.
 * Not gathered yet: request counts (App Insights), so the availability budget shows no events.
 */
export async function loadFlowInput(deps: AppDependencies, client: df.DurableClient, window: FlowWindow): Promise<FlowInput> {
  const { settings } = deps;
  const stored = await new RunsStore<PipelineResult>(() => deps.storage().table(settings.tables.runs)).all();
  const datasets = [...new Set(stored.map((r) => r.dataset))];
  const silver = deps.dataPlane().silver;
  const replays = new Map(await Promise.all(datasets.map(async (d) => [d, (await silver.list(d)).filter((v) => v.kind === 'replay')] as const)));
  // A run started again (same instance id) counts once: as the run under way.
  const [running, rollouts, tallies] = await Promise.all([
    runningPipelines(client), latestRollouts(client, stored.flatMap((r) => (r.model ? [r.model.name] : []))), readTallies(deps, window),
  ]);
  const live = new Set(running.map((r) => r.instanceId));
  return {
    window,
    runs: [...stored.filter((r) => !live.has(r.instanceId)).map((r) => flowRunOf(r, replays.get(r.dataset) ?? [])), ...running.map(runningFlowRun)],
    rollouts,
    prices: settings.flow.prices,
    availableHoursPerDay: 24,
    instanceMemoryMB: settings.flow.instanceMemoryMB,
    slo: settings.flow.slo,
    observations: { predictLatencies: tallyLatencies(tallies), requests: { total: 0, failed: 0 } },
  };
}

/** The flow report of a window; errors name stored records the metrics cannot accept. */
export async function measureFlow(deps: AppDependencies, client: df.DurableClient, window: FlowWindow): Promise<Result<FlowReport, string[]>> {
  return flowReport(await loadFlowInput(deps, client, window));
}
