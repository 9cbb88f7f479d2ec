import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { callerIdentity } from '../audit/caller-identity';
import type { AppDependencies } from '../app-dependencies';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { BronzeBatch, findBronze, landInBronze } from '../datasets/bronze-store';
import { submitBatch } from './submit-batch';
import { badRequest } from '../shared/http-responses';
import { publicBaseUrl } from '../shared/public-links';
import { readBodyWithin } from '../shared/request-body';
import { parquetBodyProblem } from './parquet-body';

/**
 * Registers `POST /api/datasets/{dataset}/ingest`: a CSV, JSON Lines or Parquet body starts the pipeline
 * (Parquet is recognised from its bytes; its schema is checked against a stored contract before anything lands).
 */
export function registerIngest(deps: AppDependencies): void {
  app.http('ingestDataset', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'datasets/{dataset}/ingest',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const nameProblem = checkDatasetName(dataset);
      if (nameProblem) return badRequest(nameProblem);
      const body = await readBodyWithin(request, deps.settings.limits.ingestBodyBytes, 'DPS_INGEST_MAX_BODY_BYTES', `upload larger files to the landing container (${deps.settings.containers.landing}/${dataset}/...)`);
      if (!body.ok) return body.error;
      const bytes = body.value;
      if (bytes.length === 0) return badRequest('the request body is empty: send the CSV, JSON Lines or Parquet data as the body (larger files go through the landing container)');
      const parquetProblem = await parquetBodyProblem(deps, dataset, bytes, request.headers.get('content-type'));
      if (parquetProblem) return parquetProblem;
      const label = request.query.get('label') ?? undefined;
      const testSha = request.query.get('test') ?? undefined;
      let test: BronzeBatch | undefined;
      if (testSha !== undefined) {
        if (!/^[0-9a-f]{64}$/.test(testSha)) return badRequest(`?test must be the sha256 that POST /api/datasets/${dataset}/testsets returned, got '${testSha}'`);
        test = await findBronze(deps.storage().blobs, deps.settings.containers, dataset, testSha);
        if (!test) return badRequest(`?test=${testSha}: no test set with that sha256 was uploaded for '${dataset}'`);
      }
      const client = df.getClient(context);
      const batch = await landInBronze(deps.storage().blobs, deps.settings.containers, dataset, bytes, `http:${dataset}`);
      const submission = await submitBatch(client, { batch, label, test, submittedBy: callerIdentity(request, deps.settings) });
      const links = client.createHttpManagementPayload(submission.instanceId);
      return {
        status: submission.repeat && submission.runtimeStatus === 'Completed' ? 200 : 202,
        headers: { Location: links.statusQueryGetUri },
        jsonBody: { ...submission, pipelineUri: `${publicBaseUrl(deps.settings)}/api/pipelines/${submission.instanceId}`, ...links },
      };
    },
  });
}
