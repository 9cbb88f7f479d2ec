import type { BlobServiceClient } from '@azure/storage-blob';
import type { RunEvent } from '../../Dps.Domain/lineage/run-event';
import type { DpsSettings } from '../settings';
import type { StructuredLogger } from '../shared/structured-log';
import type { BlobRef } from '../storage/blob-io';
import { lineageEventBlob } from '../storage/blob-layout';
import { isNotFound } from '../storage/storage-errors';
import { deliver } from './openlineage-endpoint';

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
   * is set; the POST is best-effort, tried a few times, its failure logged and never thrown.
   */
  emit(event: RunEvent, log: StructuredLogger): Promise<EmitOutcome>;
}

/** The lineage emitter over the data account's blobs and the settings' endpoint. */
export function createLineageEmitter(blobs: () => BlobServiceClient, settings: Pick<DpsSettings, 'containers' | 'lineage'>): LineageEmitter {
  const { url, apiKey } = settings.lineage;
  // The container is created once per storage client, not on every event: one round trip less each time.
  const created = new WeakMap<BlobServiceClient, Promise<unknown>>();
  const container = (client: BlobServiceClient) => {
    const containerClient = client.getContainerClient(settings.containers.lineage);
    let ready = created.get(client);
    if (!ready) {
      ready = containerClient.createIfNotExists();
      ready.catch(() => created.delete(client));
      created.set(client, ready);
    }
    return ready.then(() => containerClient);
  };
  return {
    account: () => blobs().accountName,
    async emit(event, log) {
      const body = JSON.stringify(event);
      const blob = lineageEventBlob(settings.containers, event);
      const client = blobs();
      const upload = async () => (await container(client)).getBlockBlobClient(blob.name).uploadData(Buffer.from(body, 'utf8'), { blobHTTPHeaders: { blobContentType: 'application/json' } });
      try {
        await upload();
      } catch (error) {
        // The container went away since it was created here (deleted by hand): create it again, once.
        if (!isNotFound(error)) throw error;
        created.delete(client);
        await upload();
      }
      if (!url) return { blob, endpoint: 'off' };
      const delivery = await deliver({ url, apiKey }, body);
      if (delivery.delivered) return { blob, endpoint: 'delivered' };
      log.warn('openlineage endpoint did not take the event; it is kept in the lineage container', {
        eventType: event.eventType, job: event.job.name, runId: event.run.runId, attempts: delivery.attempts, reason: delivery.reason, blob: blob.name,
      });
      return { blob, endpoint: 'failed' };
    },
  };
}
