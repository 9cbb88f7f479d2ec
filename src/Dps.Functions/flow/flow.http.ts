import { app, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { badRequest, htmlPage } from '../shared/http-responses';
import { measureFlow } from './flow-input';
import { flowWindow } from './flow-window';
import { pdcaPage } from './pdca-page';

/** Stored records the metrics refuse mean the store holds an impossible record: a 500 naming each. */
const impossibleRecords = (errors: string[]): HttpResponseInit => ({ status: 500, jsonBody: { error: 'stored run records break the flow metrics\' rules', details: errors } });

/**
 * Registers `GET /api/flow?from=&to=&days=` (the Lean flow report, docs/flow.md; default the last 30
 * days) and `GET /api/flow/report` (the same window as the weekly PDCA page, HTML).
 */
export function registerFlow(deps: AppDependencies): void {
  app.http('flow', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'flow',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const window = flowWindow(request.query, Date.now());
      if (!window.ok) return badRequest(window.error);
      const report = await measureFlow(deps, df.getClient(context), window.value);
      return report.ok ? { status: 200, jsonBody: report.value } : impossibleRecords(report.error);
    },
  });

  app.http('flowReport', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'flow/report',
    extraInputs: [df.input.durableClient()],
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      const window = flowWindow(request.query, Date.now());
      if (!window.ok) return badRequest(window.error);
      const page = await pdcaPage(deps, df.getClient(context), window.value, new Date());
      return page.ok ? htmlPage(page.value) : impossibleRecords(page.error);
    },
  });
}
