import type { TableClient } from '@azure/data-tables';
import { isNotFound } from './storage-errors';

const ROW = 'retraining';

/** What is remembered about a model's retrains: when the last one started (for the cool-down). */
export interface RetrainingRecord {
  lastStartedAt?: string;
  lastInstanceRun?: string;
}

/** One `retraining` row per model (partition) in table `drift`, next to the model's monitor. */
export class RetrainingStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** The model's record (empty before its first retrain). */
  async read(model: string): Promise<RetrainingRecord> {
    const table = await this.table();
    try {
      const row = await table.getEntity<{ lastStartedAt?: string; lastInstanceRun?: string }>(model, ROW);
      return { lastStartedAt: row.lastStartedAt, lastInstanceRun: row.lastInstanceRun };
    } catch (error) {
      if (isNotFound(error)) return {};
      throw error;
    }
  }

  /** Records a retrain's start (a re-run of the same start writes the same values). */
  async started(model: string, at: string, run: string): Promise<void> {
    const table = await this.table();
    await table.upsertEntity({ partitionKey: model, rowKey: ROW, lastStartedAt: at, lastInstanceRun: run }, 'Merge');
  }
}
