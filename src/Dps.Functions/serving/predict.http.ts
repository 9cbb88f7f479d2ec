import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { badRequest } from '../shared/http-responses';
import { countersEntity } from '../rollout/rollout-counters.entity';
import { predict } from './predict-request';
import { telemetryOutput } from './telemetry-output';

const query = (request: HttpRequest, name: string): string | undefined => request.query.get(name) ?? undefined;

/**
 * Registers `POST /api/models/{model}/predict`: rows (JSON, CSV or JSON Lines) or entity ids scored by
 * the version each row is routed to; telemetry per row, the scores feedback joins, and during a rollout
 * one signal to the model's counters entity with this request's counts.
 */
export function registerPredict(deps: AppDependencies): void {
  app.http('predict', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'models/{model}/predict',
    extraInputs: [df.input.durableClient()],
    extraOutputs: [telemetryOutput],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const started = performance.now();
      const model = request.params.model;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      const runtime = deps.serving();
      const explain = query(request, 'explain');
      if (explain !== undefined && explain !== 'true' && explain !== 'false') return { status: 400, jsonBody: { error: `?explain must be true or false, got '${explain}'` } };
      const result = await predict(runtime, {
        model, body: new Uint8Array(await request.arrayBuffer()), contentType: request.headers.get('content-type') ?? undefined,
        version: query(request, 'version'), alias: query(request, 'alias'), explain: explain === 'true',
        entityHeader: request.headers.get('x-dps-entity') ?? undefined, requestId: randomUUID(), at: new Date().toISOString(),
        piiSalt: deps.settings.piiSalt, clock: () => performance.now(),
      });
      if (!result.ok) return { status: result.status, jsonBody: result.body };
      context.extraOutputs.set(telemetryOutput, result.telemetry);
      const delta = result.delta;
      await Promise.all([
        runtime.predictions.record(model, result.recorded),
        delta ? df.getClient(context).signalEntity(countersEntity(model), 'add', delta) : undefined,
      ]);
      deps.metrics.recordPredictionLatency(performance.now() - started, { model, rows: result.body.predictions.length });
      return { status: 200, headers: { 'x-dps-request-id': result.body.requestId }, jsonBody: result.body };
    },
  });
}
