import type { BlobServiceClient } from '@azure/storage-blob';
import { RunEvent, runEventBlobName } from '../../Dps.Domain/lineage/run-event';
import type { DpsSettings } from '../settings';
import type { StructuredLogger } from '../shared/structured-log';
import { BlobRef, putBlob } from '../storage/blob-io';

/** What happened to one event: where its durable copy is, and whether the endpoint took it. */
export interface EmitOutcome {
  blob: BlobRef;
  endpoint: 'off' | 'delivered' | 'failed';
}

/** The lineage port: keeps every RunEvent in container `lineage` and sends it to the OpenLineage endpoint when one is set. */
export interface LineageEmitter {
  /** The storage account the data lives in: the datasets' namespace. */
  account(): string;
  /**
   * Writes the event's blob (a failure throws: the caller retries), then POSTs it when DPS_OPENLINEAGE_URL
   * is set; the POST is best-effort, tried a few times, its failures logged and never thrown.
   */
  emit(event: RunEvent, log: StructuredLogger): Promise<EmitOutcome>;
}

/** Waits between POST attempts: three tries in about 2.5 s, short enough for an activity. */
const POST_BACKOFF_MS = [500, 2000];
const POST_TIMEOUT_MS = 10_000;

/** Whether an HTTP status may succeed when tried again (timeouts, throttling, server errors). */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** POSTs one event as JSON; answers undefined on success, else why it failed and whether to try again. */
async function post(url: string, apiKey: string, body: string): Promise<{ reason: string; retry: boolean } | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body,
      signal: AbortSignal.timeout(POST_TIMEOUT_MS),
    });
    if (response.ok) return undefined;
    const text = (await response.text().catch(() => '')).slice(0, 200);
    return { reason: `HTTP ${response.status}${text ? `: ${text}` : ''}`, retry: retryable(response.status) };
  } catch (error) {
    return { reason: (error as Error).message, retry: true };
  }
}

/** The lineage emitter over the data account's blobs and the settings' endpoint. */
export function createLineageEmitter(blobs: () => BlobServiceClient, settings: Pick<DpsSettings, 'containers' | 'lineage'>): LineageEmitter {
  const { url, apiKey } = settings.lineage;
  return {
    account: () => blobs().accountName,
    async emit(event, log) {
      const body = JSON.stringify(event);
      const blob = { container: settings.containers.lineage, name: runEventBlobName(event) };
      await putBlob(blobs(), blob, body, 'application/json');
      if (!url) return { blob, endpoint: 'off' };
      for (let attempt = 0; ; attempt++) {
        const failure = await post(url, apiKey, body);
        if (!failure) return { blob, endpoint: 'delivered' };
        if (!failure.retry || attempt >= POST_BACKOFF_MS.length) {
          log.warn('openlineage endpoint did not take the event; it is kept in the lineage container', {
            eventType: event.eventType, job: event.job.name, runId: event.run.runId, attempts: attempt + 1, reason: failure.reason, blob: blob.name,
          });
          return { blob, endpoint: 'failed' };
        }
        await new Promise((resolve) => setTimeout(resolve, POST_BACKOFF_MS[attempt]));
      }
    },
  };
}
