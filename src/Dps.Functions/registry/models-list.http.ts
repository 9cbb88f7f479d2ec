import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { badRequest } from '../shared/http-responses';
import { BadContinuationToken, pageSize } from '../shared/paging';

/**
 * Registers `GET /api/models?top=&continuationToken=`: registered models by name, each with its task,
 * latest version number, aliases and the champion's metrics (the versions themselves are
 * `GET /api/models/{model}`).
 */
export function registerModelList(deps: AppDependencies): void {
  app.http('listModels', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const top = pageSize(request.query.get('top'), 50);
      if (!top.ok) return badRequest(top.error);
      const registry = deps.registry();
      try {
        const page = await registry.page(top.value, request.query.get('continuationToken') || undefined);
        const items = await Promise.all(page.items.map(async (first) => {
          const [aliases, latestVersion] = await Promise.all([registry.aliasesOf(first.model), registry.latestVersion(first.model)]);
          const champion = aliases.find((a) => a.alias === 'champion');
          return {
            model: first.model,
            task: first.task,
            latestVersion,
            aliases: Object.fromEntries(aliases.map((a) => [a.alias, { version: a.version, at: a.at, ...(a.status ? { status: a.status } : {}) }])),
            champion: champion ? { version: champion.version, metrics: champion.metrics } : null,
          };
        }));
        return { status: 200, jsonBody: { items, continuationToken: page.continuationToken } };
      } catch (error) {
        if (error instanceof BadContinuationToken) return badRequest(error.message);
        throw error;
      }
    },
  });
}
