import { TableClient, odata } from '@azure/data-tables';
import { FinOpsReport, finopsReport, monthOf, previousMonth } from '../../Dps.Domain/finops/finops-report';
import type { ActionRecord, RunRecord, WarningRecord } from '../../Dps.Domain/finops/run-records';
import { packJson, unpackJson } from './table-json';
import { hashedKey } from './table-keys';
import { isNotFound, isWriteConflict } from './storage-errors';

const CURSOR = { partitionKey: 'cursor', rowKey: 'offhours' };

/**
 * The `finops` table: the evaluation cursor (time of the last successful real run), run records
 * (partition `run-YYYY-MM`), actions (`action-YYYY-MM`) and warnings (`warning-YYYY-MM`), keyed by run
 * and resource so a repeated write replaces rather than duplicates.
 */
export class FinOpsStore {
  constructor(private readonly table: TableClient) {}

  /** When the last real run evaluated up to, if any. */
  async lastEvaluation(): Promise<string | undefined> {
    return (await this.readCursor())?.at;
  }

  /** Moves the cursor forward to `at` (never back: a late, older run leaves it). */
  async advanceCursor(at: string): Promise<void> {
    for (;;) {
      const current = await this.readCursor();
      if (current && current.at >= at) return;
      try {
        if (current) await this.table.updateEntity({ ...CURSOR, at }, 'Replace', { etag: current.etag });
        else await this.table.createEntity({ ...CURSOR, at });
        return;
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
      }
    }
  }

  /** Writes (or rewrites) a run record. */
  async saveRun(run: RunRecord): Promise<void> {
    await this.table.upsertEntity({ partitionKey: `run-${monthOf(run.at)}`, rowKey: run.runId, ...packJson('d', run) }, 'Replace');
  }

  /** Writes (or rewrites) the actions of a run. */
  async saveActions(actions: ActionRecord[]): Promise<void> {
    for (const action of actions) await this.table.upsertEntity({ partitionKey: `action-${monthOf(action.at)}`, rowKey: `${action.runId}-${hashedKey(action.id)}`, ...packJson('d', action) }, 'Replace');
  }

  /** Writes (or rewrites) the warnings of a run. */
  async saveWarnings(warnings: WarningRecord[]): Promise<void> {
    for (const warning of warnings) await this.table.upsertEntity({ partitionKey: `warning-${monthOf(warning.at)}`, rowKey: `${warning.runId}-${hashedKey(warning.id)}`, ...packJson('d', warning) }, 'Replace');
  }

  /** The warnings of the month of `at` (for diagnostics and tests). */
  async warnings(at: string): Promise<WarningRecord[]> {
    return this.partition<WarningRecord>(`warning-${monthOf(at)}`);
  }

  /** Runs of this and last month and actions of this month, newest first, with the month's savings. */
  async report(now: Date): Promise<FinOpsReport> {
    const current = monthOf(now.toISOString());
    const runs = [...(await this.partition<RunRecord>(`run-${current}`)), ...(await this.partition<RunRecord>(`run-${previousMonth(current)}`))];
    return finopsReport(current, runs, await this.partition<ActionRecord>(`action-${current}`));
  }

  private async readCursor(): Promise<{ at: string; etag: string } | undefined> {
    try {
      const row = await this.table.getEntity<{ at: string }>(CURSOR.partitionKey, CURSOR.rowKey);
      return { at: row.at, etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async partition<T>(partitionKey: string): Promise<T[]> {
    const items: T[] = [];
    for await (const row of this.table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` } })) {
      const item = unpackJson<T>(row, 'd');
      if (item !== undefined) items.push(item);
    }
    return items;
  }
}
