import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { flowWindow } from '../flow/flow-window';
import { badRequest } from '../shared/http-responses';
import { BadContinuationToken, pageSize } from '../shared/paging';
import { consoleOverview } from './console-overview';

/**
 * Registers `GET /api/console/overview?days=&from=&to=&top=&continuationToken=` (function key): what the
 * console's overview shows, in one answer (`ConsoleOverview`): the flow window as `GET /api/flow` takes
 * it, `top` models (default 20) and the token of the next page. A part that fails answers `{error}` in
 * its place; the status stays 200. `Server-Timing` names each part's milliseconds.
 */
export function registerConsoleOverview(deps: AppDependencies): void {
  const overview = consoleOverview(deps);
  app.http('consoleOverview', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'console/overview',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const now = new Date();
      const window = flowWindow(request.query, now.getTime());
      if (!window.ok) return badRequest(window.error);
      const top = pageSize(request.query.get('top'), 20);
      if (!top.ok) return badRequest(top.error);
      try {
        const { overview: body, timings } = await overview(df.getClient(context), window.value, { top: top.value, continuationToken: request.query.get('continuationToken') || undefined }, now);
        // Where the answer's time went, part by part, for the browser's devtools and the bench.
        const serverTiming = Object.entries(timings).map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', ');
        return { status: 200, jsonBody: body, headers: { 'Cache-Control': 'no-store', 'Server-Timing': serverTiming } };
      } catch (error) {
        if (error instanceof BadContinuationToken) return badRequest(error.message);
        throw error;
      }
    },
  });
}
