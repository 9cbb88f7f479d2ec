import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { odata } from '@azure/data-tables';
import { unpackJson } from '../storage/table-json';
import type { AppDependencies } from '../app-dependencies';
import type { PipelineResult } from '../pipeline/pipeline.orchestration';
import { notFound } from '../shared/http-responses';

/** Registers `GET /api/datasets/{dataset}`: its contract, silver versions and pipeline runs. */
export function registerDatasetInfo(deps: AppDependencies): void {
  app.http('getDataset', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'datasets/{dataset}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const { contracts, silver } = deps.dataPlane();
      const [contract, versions] = await Promise.all([contracts.current(dataset), silver.list(dataset)]);
      const runsTable = await deps.storage().table(deps.settings.tables.runs);
      const runs: PipelineResult[] = [];
      for await (const row of runsTable.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${dataset}` } })) {
        const run = unpackJson<PipelineResult>(row, 'r');
        if (run) runs.push(run);
      }
      if (!contract && versions.length === 0 && runs.length === 0) return notFound(`no dataset '${dataset}'`);
      const totals = versions.reduce(
        (t, v) => ({ read: t.read + v.rows.read, accepted: t.accepted + v.rows.accepted, quarantined: t.quarantined + v.rows.quarantined, duplicates: t.duplicates + v.rows.duplicates }),
        { read: 0, accepted: 0, quarantined: 0, duplicates: 0 },
      );
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
