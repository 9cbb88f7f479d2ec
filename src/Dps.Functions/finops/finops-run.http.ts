import { HttpRequest, HttpResponse, HttpResponseInit, InvocationContext } from '@azure/functions';
import { randomUUID } from 'node:crypto';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { callerIdentity } from '../audit/caller-identity';
import { badRequest } from '../shared/http-responses';
import { requestAudit } from './finops-audit';
import { startOrchestration } from '../shared/durable-calls';
import { FINOPS_OFFHOURS } from './offhours.orchestration';
import { offHoursRunInput } from './run-input';

/** `?dryRun=true|false` (any case); missing means the DPS_FINOPS_DRY_RUN setting. */
function parseDryRun(raw: string | null, fallback: boolean): boolean | string {
  if (raw === null) return fallback;
  const value = raw.toLowerCase();
  if (value === 'true' || value === 'false') return value === 'true';
  return `dryRun must be true or false, got '${raw}'`;
}

/**
 * Registers `POST /api/finops/run?dryRun=true|false` (function key): evaluates the policy now, as the
 * caller; 202 with the Durable status links, 400 for a bad `dryRun` (nothing started).
 */
export function registerFinopsRun(deps: AppDependencies): void {
  df.app.client.http('finopsRun', {
    methods: ['POST'],
    authLevel: 'function',
    route: 'finops/run',
    extraOutputs: [auditOutput],
    handler: async (request: HttpRequest, client: df.DurableClient, context: InvocationContext): Promise<HttpResponseInit | HttpResponse> => {
      const dryRun = parseDryRun(request.query.get('dryRun'), deps.settings.finops.dryRun);
      if (typeof dryRun === 'string') return badRequest(dryRun);
      const at = new Date().toISOString();
      const input = offHoursRunInput(deps.settings, { at, dryRun, trigger: 'http', requestedBy: callerIdentity(request, deps.settings) });
      const instanceId = `finops-run-${randomUUID()}`;
      await startOrchestration(client, FINOPS_OFFHOURS, instanceId, input);
      emitAudit(context, requestAudit({ runId: instanceId, ...input }, at));
      return client.createCheckStatusResponse(request, instanceId);
    },
  });
}
