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
 * the version each row is routed to; telemetry per row (buffered, sent in batches), the scores feedback
 * joins (written before the answer), and during a rollout one signal to the model's counters entity
 * with this request's counts. An instance that stops logs the telemetry it still held.
 */
export function registerPredict(deps: AppDependencies): void {
  app.hook.appTerminate(() => {
    const { held, dropped } = deps.serving().telemetry.stats();
    // No invocation (and so no output binding) is left to send them: the count is what can be told.
    if (held + dropped > 0) console.warn(`serving: ${held} buffered telemetry event(s) not sent at shutdown, ${dropped} dropped earlier (buffer full)`);
  });
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
      // Telemetry leaves in batches (DEFAULT_TELEMETRY_BATCHING): this invocation sends what the buffer releases.
      const telemetry = runtime.telemetry.add(result.telemetry, Date.now());
      if (telemetry.send.length > 0) context.extraOutputs.set(telemetryOutput, telemetry.send);
      if (telemetry.newlyDropped > 0) context.warn(`telemetry buffer full: dropped the ${telemetry.newlyDropped} oldest unsent event(s) (${runtime.telemetry.stats().dropped} in all on this instance)`);
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
