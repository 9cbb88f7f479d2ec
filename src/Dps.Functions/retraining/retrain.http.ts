import { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { callerIdentity } from '../audit/caller-identity';
import { badRequest, notFound } from '../shared/http-responses';
import { findInstance } from '../shared/durable-status';
import { requestRetrain, retrainInstanceId } from './retrain-request';

/**
 * Registers `GET /api/models/{model}/retrain` (the last `retrain-{model}`: runtime status, its current
 * decision, and when done its result) and `POST /api/models/{model}/retrain`: starts `retrain-{model}` by hand (a manual trigger
 * passes the cool-down and the minimum of new rows, not a running rollout). 202 with the Durable
 * status links; 409 when a retrain of the model is already running; 404 for an unknown model.
 */
export function registerRetrainHttp(deps: AppDependencies): void {
  df.app.client.http('getRetrain', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}/retrain',
    handler: async (request: HttpRequest, client: df.DurableClient): Promise<HttpResponseInit> => {
      const problem = checkModelName(request.params.model);
      if (problem) return badRequest(problem);
      const instanceId = retrainInstanceId(request.params.model);
      const status = await findInstance(client, instanceId);
      if (!status) return notFound(`model '${request.params.model}' has not been retrained`);
      return {
        status: 200,
        jsonBody: {
          instanceId, runtimeStatus: status.runtimeStatus, createdTime: status.createdTime, lastUpdatedTime: status.lastUpdatedTime,
          input: status.input, decision: status.customStatus ?? null, output: status.output ?? null,
        },
      };
    },
  });

  df.app.client.http('retrainModel', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'models/{model}/retrain',
    extraOutputs: [auditOutput],
    handler: async (request: HttpRequest, client: df.DurableClient, context: InvocationContext): Promise<HttpResponseInit> => {
      const model = request.params.model;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      if ((await deps.registry().versions(model)).length === 0) return notFound(`no model '${model}'`);
      const by = callerIdentity(request, deps.settings);
      const at = new Date().toISOString();
      const { started, instanceId } = await requestRetrain(client, { model, trigger: { kind: 'manual', at, by } });
      emitAudit(context, {
        id: `retrain-${model}-manual-${at}`, who: by, what: 'retrain.triggered', outcome: started ? 'started' : 'already-running', when: at,
        why: started ? 'asked for by hand' : `asked for by hand; ${instanceId} is already running`, subjects: { model }, details: { instanceId },
      });
      if (!started) return { status: 409, jsonBody: { error: `a retrain of model '${model}' is already running`, instanceId } };
      const links = client.createHttpManagementPayload(instanceId);
      return { status: 202, headers: { Location: links.statusQueryGetUri }, jsonBody: { instanceId, ...links } };
    },
  });
}
