import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { badRequest } from '../shared/http-responses';
import { lazyAsync } from '../shared/lazy-async';
import { pageSize } from '../shared/paging';
import { openAuditStore } from '../storage/audit-store';
import { auditEventPage } from './audit-event-page';

function instant(name: string, raw: string | null): { ms?: number; error?: string } {
  if (raw === null || raw === '') return {};
  const ms = Date.parse(raw);
  return Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(raw) ? { error: `${name} must be an ISO 8601 date or instant, got '${raw}'` } : { ms };
}

/**
 * Registers `GET /api/audit/events?type=&from=&to=&top=&continuationToken=`: audit events newest first
 * (chain order), `type` matching `what` or a dotted prefix of it (`model` finds `model.registered`),
 * `from`/`to` bounding `when` as `[from, to)`.
 */
export function registerAuditEvents(deps: AppDependencies): void {
  const store = lazyAsync(() => deps.storage(), (storage) => openAuditStore(storage, deps.settings));
  app.http('listAuditEvents', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'audit/events',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const top = pageSize(request.query.get('top'), 50);
      if (!top.ok) return badRequest(top.error);
      const from = instant('from', request.query.get('from'));
      const to = instant('to', request.query.get('to'));
      if (from.error || to.error) return badRequest((from.error ?? to.error) as string);
      const { chain } = await store();
      const { head } = await chain.readHead();
      const token = request.query.get('continuationToken');
      let start = head.seq;
      if (token) {
        const seq = Number(token);
        if (!Number.isInteger(seq) || seq < 1 || seq > head.seq) return badRequest(`continuationToken '${token.slice(0, 40)}' is not one this list gave out: start again without it`);
        start = seq;
      }
      const page = await auditEventPage((a, b) => chain.readRecords(a, b), start, top.value, { type: request.query.get('type') || undefined, fromMs: from.ms, toMs: to.ms });
      return { status: 200, jsonBody: page };
    },
  });
}
