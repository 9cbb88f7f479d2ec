import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { abTestStatusBody } from '../../Dps.Domain/rollout/ab-test-state';
import { rolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { callerIdentity } from '../audit/caller-identity';
import { badRequest, notFound } from '../shared/http-responses';
import { findInstance } from '../shared/durable-status';
import { startModelRollout } from './rollout-start';
import { ABORT_EVENT, APPROVE_EVENT, RolloutCommand, rolloutInstanceId } from './rollout-run';

async function jsonBody(request: HttpRequest): Promise<{ ok: true; value: unknown } | { ok: false; response: HttpResponseInit }> {
  const text = await request.text();
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, response: badRequest(`the body is not valid JSON (${(e as Error).message})`) };
  }
}

/** Registers `GET|POST /api/models/{model}/rollout` and `POST .../rollout/approve|abort`. */
export function registerRolloutHttp(deps: AppDependencies): void {
  app.http('rolloutHttp', {
    methods: ['GET', 'POST'],
    authLevel: 'function',
    route: 'models/{model}/rollout',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const model = request.params.model;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      if (request.method === 'GET') {
        const record = await deps.serving().rollouts.get(model);
        if (!record) return notFound(`model '${model}' has had no rollout`);
        return { status: 200, jsonBody: record.ab ? abTestStatusBody(record.ab) : rolloutStatusBody(record.state) };
      }
      const body = await jsonBody(request);
      if (!body.ok) return body.response;
      const started = await startModelRollout(deps, df.getClient(context), model, body.value, callerIdentity(request, deps.settings));
      return { status: started.status, jsonBody: started.body };
    },
  });

  for (const [name, event] of [['approve', APPROVE_EVENT], ['abort', ABORT_EVENT]] as const) {
    app.http(`rollout${name === 'approve' ? 'Approve' : 'Abort'}`, {
      methods: ['POST'],
      authLevel: 'function',
      route: `models/{model}/rollout/${name}`,
      extraInputs: [df.input.durableClient()],
      handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
        const model = request.params.model;
        const problem = checkModelName(model);
        if (problem) return badRequest(problem);
        const body = await jsonBody(request);
        if (!body.ok) return body.response;
        const reason = (body.value as { reason?: unknown } | undefined)?.reason;
        if (reason !== undefined && typeof reason !== 'string') return badRequest('reason must be text');
        const client = df.getClient(context);
        const instanceId = rolloutInstanceId(model);
        const status = await findInstance(client, instanceId);
        if (!status) return notFound(`model '${model}' has no rollout to ${name}`);
        if (status.runtimeStatus !== df.OrchestrationRuntimeStatus.Running && status.runtimeStatus !== df.OrchestrationRuntimeStatus.Pending) {
          return { status: 409, jsonBody: { error: `the rollout of '${model}' is not running (${status.runtimeStatus}); nothing to ${name}` } };
        }
        const command: RolloutCommand = reason ? { who: callerIdentity(request, deps.settings), reason } : { who: callerIdentity(request, deps.settings) };
        await client.raiseEvent(instanceId, event, command);
        return { status: 202, jsonBody: { instanceId, event: name, statusUri: `/api/models/${model}/rollout` } };
      },
    });
  }
}
