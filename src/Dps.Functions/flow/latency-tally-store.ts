import type { BlobServiceClient } from '@azure/storage-blob';
import { emptyTally, foldPredictions, LatencyTally, ServedPrediction, tallyDay } from '../../Dps.Domain/flow/latency-tally';
import type { AppDependencies } from '../app-dependencies';
import { PREDICT_LATENCY_PREFIX, predictLatencyTallyBlob } from '../storage/blob-layout';
import { isNotFound } from '../storage/storage-errors';
import type { FlowWindow } from './flow-window';

/** Tries at one day's tally before giving up on a batch (each lost race re-reads the blob). */
const MAX_TRIES = 5;

const isConflict = (error: unknown) => [409, 412].includes((error as { statusCode?: number }).statusCode ?? 0);

/** One day's tally and the ETag it was read at (none: no blob yet). */
async function readTally(blobs: BlobServiceClient, deps: AppDependencies, day: string): Promise<{ tally: LatencyTally; etag?: string }> {
  const ref = predictLatencyTallyBlob(deps.settings.containers, day);
  try {
    // One download gives the body and the ETag of that very body.
    const download = await blobs.getContainerClient(ref.container).getBlockBlobClient(ref.name).download(0);
    const chunks: Buffer[] = [];
    for await (const chunk of download.readableStreamBody as AsyncIterable<Buffer>) chunks.push(chunk);
    return { tally: JSON.parse(Buffer.concat(chunks).toString('utf8')) as LatencyTally, etag: download.etag };
  } catch (error) {
    if (isNotFound(error)) return { tally: emptyTally() };
    throw error;
  }
}

/**
 * Adds served predictions (telemetry events, shadow scores left out by the caller) to their days'
 * tallies, each written under the ETag it was read at, so instances and partitions merge; a redelivered
 * event is recognised by its partition's sequence mark. Idempotent: the same events twice count once.
 */
export async function tallyPredictions(deps: AppDependencies, predictions: readonly ServedPrediction[]): Promise<void> {
  const blobs = deps.storage().blobs;
  const byDay = new Map<string, ServedPrediction[]>();
  for (const p of predictions) byDay.set(tallyDay(p), [...(byDay.get(tallyDay(p)) ?? []), p]);
  await Promise.all([...byDay].map(async ([day, list]) => {
    const ref = predictLatencyTallyBlob(deps.settings.containers, day);
    const blob = blobs.getContainerClient(ref.container).getBlockBlobClient(ref.name);
    for (let attempt = 1; ; attempt++) {
      const { tally, etag } = await readTally(blobs, deps, day);
      const folded = foldPredictions(tally, list);
      if (folded.added === 0) return;
      const body = JSON.stringify(folded.tally);
      try {
        await blob.upload(body, Buffer.byteLength(body), { conditions: etag ? { ifMatch: etag } : { ifNoneMatch: '*' }, blobHTTPHeaders: { blobContentType: 'application/json' } });
        return;
      } catch (error) {
        if (!isConflict(error) || attempt === MAX_TRIES) throw error;
      }
    }
  }));
}

/** The tallies of the days the window touches (days without predictions have none). */
export async function readTallies(deps: AppDependencies, window: FlowWindow): Promise<LatencyTally[]> {
  const blobs = deps.storage().blobs;
  const container = blobs.getContainerClient(deps.settings.containers.reports);
  const first = window.from.slice(0, 10);
  const last = window.to.slice(0, 10);
  const days: string[] = [];
  try {
    for await (const item of container.listBlobsFlat({ prefix: PREDICT_LATENCY_PREFIX })) {
      const day = item.name.slice(PREDICT_LATENCY_PREFIX.length, -'.json'.length);
      if (day >= first && day <= last) days.push(day);
    }
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return Promise.all(days.map(async (day) => (await readTally(blobs, deps, day)).tally));
}
