import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { addRowCounts, NO_ROWS } from '../../Dps.Domain/data/validation-report';
import { RunsStore } from '../storage/runs-store';
import type { AppDependencies } from '../app-dependencies';
import type { PipelineResult } from '../pipeline/pipeline-run';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { badRequest, notFound } from '../shared/http-responses';

/** Registers `GET /api/datasets/{dataset}`: its contract, silver versions and pipeline runs. */
export function registerDatasetInfo(deps: AppDependencies): void {
  app.http('getDataset', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'datasets/{dataset}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const problem = checkDatasetName(dataset);
      if (problem) return badRequest(problem);
      const { contracts, silver } = deps.dataPlane();
      const [contract, versions] = await Promise.all([contracts.current(dataset), silver.list(dataset)]);
      const runs = await new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs)).ofDataset(dataset);
      if (!contract && versions.length === 0 && runs.length === 0) return notFound(`no dataset '${dataset}'`);
      const totals = versions.reduce((t, v) => addRowCounts(t, v.rows), NO_ROWS);
      return {
        status: 200,
        jsonBody: {
          dataset,
          contract: contract ? { revision: contract.revision, origin: contract.origin, storedAt: contract.storedAt, label: contract.contract.label ?? null, columns: contract.contract.columns.length } : null,
          rows: totals,
          silverVersions: versions,
          runs: runs.map(({ instanceId, status, rows, errors, stages }) => ({ instanceId, status, rows, errors: errors.slice(0, 3), startedAt: stages[0]?.startedAt })),
        },
      };
    },
  });
}
