import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { notFound } from '../shared/http-responses';
import { findInstance } from '../shared/durable-status';

/** Registers `GET /api/pipelines/{instanceId}`: stages with durations, row accounting, errors. */
export function registerPipelineStatus(): void {
  app.http('pipelineStatus', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'pipelines/{instanceId}',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const instanceId = request.params.instanceId;
      const status = await findInstance(df.getClient(context), instanceId);
      if (!status || !status.name) return notFound(`no pipeline run '${instanceId}'`);
      const output = (status.output ?? {}) as Record<string, unknown>;
      const progress = (status.customStatus ?? {}) as Record<string, unknown>;
      const done = status.runtimeStatus === 'Completed';
      return {
        status: 200,
        jsonBody: {
          instanceId,
          runtimeStatus: status.runtimeStatus,
          createdTime: status.createdTime,
          lastUpdatedTime: status.lastUpdatedTime,
          ...(done ? output : progress),
          ...(status.runtimeStatus === 'Failed' ? { errors: [String(status.output)] } : {}),
        },
      };
    },
  });
}
