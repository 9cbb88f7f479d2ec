import { app, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { finopsServices } from './finops-services';

/** Registers `GET /api/finops/report` (function key): recent runs and actions, savings month to date. */
export function registerFinopsReport(deps: AppDependencies): void {
  const services = finopsServices(deps);
  app.http('finopsReport', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'finops/report',
    handler: async (): Promise<HttpResponseInit> => ({ jsonBody: await (await services()).store.report(new Date()) }),
  });
}
