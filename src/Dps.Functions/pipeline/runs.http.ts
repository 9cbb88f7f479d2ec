import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { runFlows, RunFlow } from '../../Dps.Domain/flow/run-flow';
import type { FlowRun } from '../../Dps.Domain/flow/flow-records';
import type { AppDependencies } from '../app-dependencies';
import { flowRunOf, runningFlowRun } from '../flow/flow-runs';
import { badRequest } from '../shared/http-responses';
import { BadContinuationToken, pageSize } from '../shared/paging';
import { RunsStore } from '../storage/runs-store';
import type { PipelineResult } from './pipeline-run';
import { runningPipelines } from './running-pipelines';

const STATUSES = ['running', 'accepted', 'rejected', 'failed'];

/** A run's flow timelines, or none when its record breaks the flow rules (the list still shows it). */
function flowOf(run: FlowRun): RunFlow | undefined {
  const flows = runFlows([run], []);
  return flows.ok ? flows.value[0] : undefined;
}

/**
 * Registers `GET /api/runs?dataset=&status=&top=&continuationToken=`: pipeline runs newest first, each
 * with its flow timelines (lead time, value-add and wait per stage); runs under way come first on the
 * first page (they reach the runs table when they end).
 */
export function registerRuns(deps: AppDependencies): void {
  const store = new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs));
  app.http('listRuns', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'runs',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const top = pageSize(request.query.get('top'), 25);
      if (!top.ok) return badRequest(top.error);
      const dataset = request.query.get('dataset') || undefined;
      const status = request.query.get('status') || undefined;
      if (status && !STATUSES.includes(status)) return badRequest(`status must be one of ${STATUSES.join(', ')}, got '${status}'`);
      const continuationToken = request.query.get('continuationToken') || undefined;
      const running = !continuationToken && (!status || status === 'running')
        ? (await runningPipelines(df.getClient(context))).filter((r) => !dataset || r.dataset === dataset)
        : [];
      const live = running.map((r) => ({ ...r, status: 'running', landedAt: r.createdTime, flow: flowOf(runningFlowRun(r)) }));
      if (status === 'running') return { status: 200, jsonBody: { items: live.slice(0, top.value), continuationToken: null } };
      try {
        const page = await store.page({ dataset, status, top: top.value, continuationToken });
        const liveIds = new Set(running.map((r) => r.instanceId));
        const finished = page.items.filter((r) => !liveIds.has(r.instanceId)).map((r) => ({ ...r, flow: flowOf(flowRunOf(r, [])) }));
        return { status: 200, jsonBody: { items: [...live, ...finished], continuationToken: page.continuationToken } };
      } catch (error) {
        if (error instanceof BadContinuationToken) return badRequest(error.message);
        throw error;
      }
    },
  });
}
