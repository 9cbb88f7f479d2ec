import { app, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { lazyAsync } from '../shared/lazy-async';
import { openAuditStore } from '../storage/audit-store';
import { verifyStoredChain } from './chain-verification';

/**
 * Registers `GET /api/audit/verify` (function key): walks the stored chain against the stored head, the
 * append-only segments and the anchored heads. 200 `{ok: true, length, head, segments, anchors}` when it
 * holds; 409 `{ok: false, length, brokenAt, reason, tampering, detectedBy, eventId?, findings}` naming the
 * first broken record and what was done, so monitors can alert on the status alone.
 */
export function registerAuditVerify(deps: AppDependencies): void {
  const store = lazyAsync(() => deps.storage(), (storage) => openAuditStore(storage, deps.settings));
  app.http('auditVerify', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'audit/verify',
    handler: async (): Promise<HttpResponseInit> => {
      const verdict = await verifyStoredChain(await store());
      return { status: verdict.ok ? 200 : 409, jsonBody: verdict };
    },
  });
}
