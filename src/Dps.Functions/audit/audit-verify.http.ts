import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { badRequest } from '../shared/http-responses';
import { lazyAsync } from '../shared/lazy-async';
import { openAuditStore } from '../storage/audit-store';
import { checkStoredChain } from './chain-verification';

/**
 * Registers `GET /api/audit/verify?full=` (function key): checks the stored chain against the stored
 * head, the append-only segments and the anchored heads, from the last checkpoint (the records since the
 * last check that held) or, with `full=true`, from genesis. 200 `{ok: true, length, head, segments,
 * anchors, checked}` when it holds; 409 `{ok: false, length, brokenAt, reason, tampering, detectedBy,
 * eventId?, findings}` naming the first broken record and what was done, so monitors can alert on the
 * status alone.
 */
export function registerAuditVerify(deps: AppDependencies): void {
  const store = lazyAsync(() => deps.storage(), (storage) => openAuditStore(storage, deps.settings));
  app.http('auditVerify', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'audit/verify',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const full = request.query.get('full') ?? 'false';
      if (full !== 'true' && full !== 'false') return badRequest(`full must be true or false, got '${full}'`);
      const verdict = await checkStoredChain(await store(), new Date(), { full: full === 'true' });
      return { status: verdict.ok ? 200 : 409, jsonBody: verdict };
    },
  });
}
