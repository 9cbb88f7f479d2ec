import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { addRowCounts, NO_ROWS } from '../../Dps.Domain/data/validation-report';
import type { AppDependencies } from '../app-dependencies';
import type { PipelineResult } from '../pipeline/pipeline-run';
import { badRequest } from '../shared/http-responses';
import { BadContinuationToken, pageSize } from '../shared/paging';
import { RunsStore } from '../storage/runs-store';

/**
 * Registers `GET /api/datasets?top=&continuationToken=`: datasets with a contract, by name, each with
 * its current contract, row totals over its silver versions and its latest run.
 */
export function registerDatasetList(deps: AppDependencies): void {
  const runs = new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs));
  app.http('listDatasets', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'datasets',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const top = pageSize(request.query.get('top'), 50);
      if (!top.ok) return badRequest(top.error);
      const { contracts, silver } = deps.dataPlane();
      try {
        const page = await contracts.page(top.value, request.query.get('continuationToken') || undefined);
        const items = await Promise.all(page.items.map(async ({ dataset, contract }) => {
          const [versions, latest] = await Promise.all([silver.list(dataset), runs.page({ dataset, top: 1 })]);
          const run = latest.items[0];
          return {
            dataset,
            contract: { revision: contract.revision, origin: contract.origin, storedAt: contract.storedAt, label: contract.contract.label?.column ?? null },
            rows: versions.reduce((t, v) => addRowCounts(t, v.rows), NO_ROWS),
            silverVersions: versions.length,
            lastRun: run ? { instanceId: run.instanceId, status: run.status, landedAt: run.landedAt ?? null, startedAt: run.stages[0]?.startedAt ?? null } : null,
          };
        }));
        return { status: 200, jsonBody: { items, continuationToken: page.continuationToken } };
      } catch (error) {
        if (error instanceof BadContinuationToken) return badRequest(error.message);
        throw error;
      }
    },
  });
}
