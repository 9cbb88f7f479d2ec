import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { parseContract } from '../../Dps.Domain/data/contract-schema';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { callerIdentity } from '../audit/caller-identity';
import type { AppDependencies } from '../app-dependencies';
import { checkDatasetName } from '../../Dps.Domain/data/dataset-names';
import { badRequest, notFound } from '../shared/http-responses';
import { readBodyWithin } from '../shared/request-body';

const showKey = (key: string[]) => (key.length > 0 ? `[${key.join(', ')}]` : 'whole rows (no primary key)');

/**
 * Why a contract cannot take over the dataset's kept rows, if it cannot: the rows of earlier batches are
 * deduplicated by one key, and a contract with another would compare new rows with nothing (or fail).
 */
async function keyConflict(deps: AppDependencies, dataset: string, next: string[]): Promise<string | undefined> {
  const kept = await deps.dataPlane().dedup.keyColumns(dataset);
  if (kept === undefined || kept.join('\u0000') === next.join('\u0000')) return undefined;
  return `the contract deduplicates '${dataset}' by ${showKey(next)}, but the rows already kept are deduplicated by ${showKey(kept)}, and a key cannot change under kept rows. ` +
    `Either PUT the contract with the same primaryKey as before, or reset the dataset (DELETE /api/datasets/${dataset}?confirm=${dataset} removes its batches, contracts, dedup memory and runs; the audit trail stays), PUT this contract and ingest the data again.`;
}

/** Registers `PUT` and `GET /api/datasets/{dataset}/contract`; a stored contract wins over inference. */
export function registerDatasetContract(deps: AppDependencies): void {
  app.http('putDatasetContract', {
    methods: ['PUT'],
    authLevel: 'function',
    route: 'datasets/{dataset}/contract',
    extraOutputs: [auditOutput],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const dataset = request.params.dataset;
      const nameProblem = checkDatasetName(dataset);
      if (nameProblem) return badRequest(nameProblem);
      const body = await readBodyWithin(request, deps.settings.limits.contractBytes, 'DPS_CONTRACT_MAX_BYTES', 'a contract is a schema, not data: list allowed values only for real categories');
      if (!body.ok) return body.error;
      let doc: unknown;
      try {
        doc = JSON.parse(body.value.toString('utf8'));
      } catch (error) {
        return badRequest(`the body is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = parseContract(doc);
      if (!parsed.ok) return badRequest(`the contract is not valid: ${parsed.error[0]}`, parsed.error);
      if (parsed.value.dataset !== dataset) return badRequest(`contract.dataset is '${parsed.value.dataset}' but the URL names '${dataset}'`);
      const conflict = await keyConflict(deps, dataset, parsed.value.primaryKey ?? []);
      if (conflict) return { status: 409, jsonBody: { error: conflict } };
      const who = callerIdentity(request, deps.settings);
      const stored = await deps.dataPlane().contracts.put(dataset, parsed.value, who, 'user');
      emitAudit(context, {
        id: `contract-${dataset}-r${stored.revision}`, who, what: 'contract.stored', outcome: 'stored',
        why: `contract revision ${stored.revision} stored through the API`, subjects: { dataset }, details: { revision: stored.revision, origin: 'user' },
      });
      return { status: 200, jsonBody: { dataset, revision: stored.revision, storedAt: stored.storedAt, storedBy: stored.storedBy, contract: stored.contract } };
    },
  });

  app.http('getDatasetContract', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'datasets/{dataset}/contract',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const problem = checkDatasetName(request.params.dataset);
      if (problem) return badRequest(problem);
      const stored = await deps.dataPlane().contracts.current(request.params.dataset);
      if (!stored) return notFound(`no contract is stored for dataset '${request.params.dataset}'`);
      return { status: 200, jsonBody: { dataset: request.params.dataset, ...stored } };
    },
  });
}
