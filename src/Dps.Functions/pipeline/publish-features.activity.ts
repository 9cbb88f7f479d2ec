import { entityOf } from '../../Dps.Domain/serving/scoring-row-check';
import type { AppDependencies } from '../app-dependencies';
import { silverRowSlices } from '../datasets/silver-rows';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { FeaturesStore, OnlineFeatures } from '../storage/features-store';

/** An accepted batch's silver rows to publish to the online feature store. */
export interface PublishFeaturesInput {
  dataset: string;
  contractRevision: number;
  silver: BlobRef;
}

/** How many entities were written; none when the contract has no primary key. */
export interface PublishedFeatures {
  entities: number;
  skipped?: string;
}

export const PUBLISH_FEATURES = activity<PublishFeaturesInput, PublishedFeatures>('pipelinePublishFeatures');

/** Rows written to the table per round, so a large batch never sits in memory. */
const FLUSH_ROWS = 2000;

/**
 * Writes each entity's latest accepted values (keyed by the contract's primary key, the id serving
 * reads by) to table `features`, the online store; silver stays the offline store. Rerunning it
 * writes the same rows again (upserts), so a retried activity changes nothing.
 */
export function publishFeatures(deps: AppDependencies): ActivityHandler<PublishFeaturesInput, PublishedFeatures> {
  return async (input) => {
    const stored = await deps.dataPlane().contracts.revision(input.dataset, input.contractRevision);
    const key = stored.contract.primaryKey ?? [];
    if (key.length === 0) return { entities: 0, skipped: 'the contract has no primary key to look entities up by' };
    const store = new FeaturesStore(() => deps.storage().table(deps.settings.tables.features));
    const source = `${input.silver.container}/${input.silver.name}`;
    let pending: OnlineFeatures[] = [];
    const entities = new Set<string>();
    // Each round is awaited before more silver is read: a write started and awaited only at the end had no
    // handler while reading went on (its failure crashed the host), and a 1M-row batch put 500 rounds of 20
    // transactions on storage at once, holding every row until they were done.
    for await (const rows of silverRowSlices(deps.storage().blobs, input.silver)) {
      for (const row of rows) {
        const entity = entityOf(key, row);
        if (entity === undefined) continue;
        entities.add(entity);
        pending.push({ entity, values: row, source });
        if (pending.length >= FLUSH_ROWS) {
          await store.write(input.dataset, pending);
          pending = [];
        }
      }
    }
    await store.write(input.dataset, pending);
    return { entities: entities.size };
  };
}
