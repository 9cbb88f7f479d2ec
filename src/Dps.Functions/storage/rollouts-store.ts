import type { TableClient } from '@azure/data-tables';
import type { ScoreSpec } from '../../Dps.Domain/rollout/rollout-counters';
import type { AbTestState } from '../../Dps.Domain/rollout/ab-test-state';
import type { RolloutState } from '../../Dps.Domain/rollout/rollout-policy';
import type { RoutingTable } from '../../Dps.Domain/serving/traffic-router';
import { isNotFound } from './storage-errors';
import { packJson, unpackJson } from './table-json';

/**
 * A model's rollout as serving and the rollout GET read it: the routing table while a rollout runs,
 * the counters window rows are counted in, how scores are binned, and the rollout's whole state
 * (a staged canary or shadow rollout's `state`, or an A/B test's `ab`).
 */
export type RolloutRecord = {
  model: string;
  /** The routing table serving must use; absent once the rollout ended (then the champion alias serves). */
  routing?: RoutingTable;
  /** The live counters' window: `{run}/{stepIndex}`, so each step (and each rollout) counts afresh. */
  window?: string;
  spec: ScoreSpec;
} & ({ state: RolloutState; ab?: undefined } | { ab: AbTestState; state?: undefined });

const ROW = 'rollout';

/** Table `rollouts`: one row per model, written by the rollout orchestration's activities only. */
export class RolloutsStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** The model's rollout, or undefined when it never had one. */
  async get(model: string): Promise<RolloutRecord | undefined> {
    try {
      return unpackJson<RolloutRecord>(await (await this.table()).getEntity<Record<string, unknown>>(model, ROW), 'r');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Replaces the model's rollout row (idempotent: the same record twice is one state). */
  async put(record: RolloutRecord): Promise<void> {
    await (await this.table()).upsertEntity({ partitionKey: record.model, rowKey: ROW, ...packJson('r', record) }, 'Replace');
  }
}
