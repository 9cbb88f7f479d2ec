import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { landInBronze } from './bronze-store';
import { badRequest } from '../shared/http-responses';
import { readBodyWithin } from '../shared/request-body';

/** Registers `POST /api/datasets/{dataset}/testsets`: lands a test batch in bronze for `ingest?test={sha256}`. */
export function registerTestSets(deps: AppDependencies): void {
  app.http('uploadTestSet', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'datasets/{dataset}/testsets',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const problem = checkDatasetName(dataset);
      if (problem) return badRequest(problem);
      const body = await readBodyWithin(request, deps.settings.limits.ingestBodyBytes, 'DPS_INGEST_MAX_BODY_BYTES', 'send a smaller test set (a sample is enough to evaluate on)');
      if (!body.ok) return body.error;
      const bytes = body.value;
      if (bytes.length === 0) return badRequest('the request body is empty: send the test data (CSV or JSON Lines) as the body');
      const batch = await landInBronze(deps.storage().blobs, deps.settings.containers, dataset, bytes, `http:${dataset}:test`);
      return { status: 201, jsonBody: { dataset, sha256: batch.sha256, sizeBytes: batch.sizeBytes, use: `POST /api/datasets/${dataset}/ingest?test=${batch.sha256}` } };
    },
  });
}
