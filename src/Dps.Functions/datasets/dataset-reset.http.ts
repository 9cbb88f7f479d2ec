import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { callerIdentity } from '../audit/caller-identity';
import { badRequest } from '../shared/http-responses';
import { resetDataset } from './dataset-reset';

/**
 * Registers `DELETE /api/datasets/{dataset}?confirm={dataset}`: resets the dataset (data, contract,
 * dedup memory, runs), keeping its audit trail; the reset itself is audited with who asked and what went.
 */
export function registerDatasetReset(deps: AppDependencies): void {
  app.http('resetDataset', {
    methods: ['DELETE'],
    authLevel: 'function',
    route: 'datasets/{dataset}',
    extraInputs: [df.input.durableClient()],
    extraOutputs: [auditOutput],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const problem = checkDatasetName(dataset);
      if (problem) return badRequest(problem);
      if (request.query.get('confirm') !== dataset) {
        return badRequest(`resetting deletes every batch, contract revision, dedup memory and run of '${dataset}' (the audit trail stays): confirm with ?confirm=${dataset}`);
      }
      const who = callerIdentity(request, deps.settings);
      const reset = await resetDataset(deps, df.getClient(context), dataset);
      if (!reset.ok) {
        return { status: 409, jsonBody: { error: `'${dataset}' has pipeline runs under way (${reset.error.running.join(', ')}): wait for them to end (GET /api/pipelines/{id}) and reset again` } };
      }
      emitAudit(context, {
        id: `dataset-reset-${dataset}-${context.invocationId}`, who, what: 'dataset.reset', outcome: 'reset',
        why: `'${dataset}' was reset on request: ${reset.value.blobs} blob(s), ${reset.value.tableRows} contract/catalog row(s), ${reset.value.runs} run(s) removed`,
        subjects: { dataset }, details: { ...reset.value },
      });
      return { status: 200, jsonBody: { dataset, reset: true, removed: reset.value, kept: 'the audit trail and registered models' } };
    },
  });
}
