import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { countersEntity } from '../rollout/rollout-counters.entity';
import { badRequest } from '../shared/http-responses';
import { receiveFeedback } from './feedback-request';

/** Registers `POST /api/models/{model}/feedback`: delayed labels joined to served scores; during a rollout they feed its online metric. */
export function registerFeedback(deps: AppDependencies): void {
  app.http('feedback', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'models/{model}/feedback',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const model = request.params.model;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      const text = await request.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (e) {
        return badRequest(`the body is not valid JSON (${(e as Error).message}); send {"labels":[{"requestId","row","label"}]} or {"labels":[{"entity","label"}]}`);
      }
      const result = await receiveFeedback(deps.serving(), model, body);
      if (!result.ok) return { status: result.status, jsonBody: result.body };
      const client = df.getClient(context);
      await Promise.all(result.deltas.map((delta) => client.signalEntity(countersEntity(model), 'add', delta)));
      return { status: 200, jsonBody: result.body };
    },
  });
}
