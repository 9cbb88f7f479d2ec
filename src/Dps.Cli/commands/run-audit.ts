import type { AppClient, PipelineView } from '../app-client';

/** An audit event as GET /api/audit/events lists it (only the fields the wait looks at). */
export interface ListedEvent {
  id: string;
  what: string;
  where?: { instanceId?: string };
}

/** One audit record a finished run must find in the chain, and how to recognise it. */
export interface DueEvent {
  label: string;
  matches: (event: ListedEvent) => boolean;
}

/**
 * The records a finished pipeline run leaves in the audit chain: its `pipeline.finished` (the last event
 * the run emits; the local hub delivers in order, so every earlier event of the run is settled once it is
 * chained) and, when a model was registered, the version and alias records by their deterministic ids.
 */
export function dueAuditEvents(instanceId: string, view: PipelineView): DueEvent[] {
  if (view.runtimeStatus !== 'Completed') return [];
  const due: DueEvent[] = [{ label: `pipeline.finished of ${instanceId}`, matches: (e) => e.what === 'pipeline.finished' && e.where?.instanceId === instanceId }];
  const model = view.model;
  if (model) {
    for (const id of [`model-${model.name}-v${model.version}`, `alias-${model.name}-${model.alias}-v${model.version}`]) due.push({ label: id, matches: (e) => e.id === id });
  }
  return due;
}

/** The labels of `due` events not (yet) in the chain among events with `when` at or after `since`. */
async function missingEvents(client: AppClient, since: string, due: DueEvent[]): Promise<string[]> {
  let missing = due;
  let token: string | null = null;
  do {
    const page: { items: ListedEvent[]; continuationToken: string | null } = await client.auditEvents<ListedEvent>({ from: since, top: '200', continuationToken: token ?? undefined });
    missing = missing.filter((d) => !page.items.some(d.matches));
    token = page.continuationToken;
  } while (token !== null && missing.length > 0);
  return missing.map((d) => d.label);
}

/**
 * Polls the audit chain until every `due` event is in it; resolves with the labels still missing when
 * `timeoutMs` ran out (empty when all arrived), so the caller can say which records were not chained.
 */
export async function waitForAuditEvents(client: AppClient, since: string, due: DueEvent[], timeoutMs: number, intervalMs = 200): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const missing = due.length ? await missingEvents(client, since, due) : [];
    if (missing.length === 0 || Date.now() >= until) return missing;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
