import { TableClient, odata } from '@azure/data-tables';
import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { SavingsEstimate } from '../../Dps.Domain/finops/savings';
import { packJson, unpackJson } from './table-json';
import { hashedKey } from './table-keys';
import { isNotFound, isWriteConflict } from './storage-errors';

/** What became of one planned action. */
export type ActionOutcome = 'stopped' | 'started' | 'skipped' | 'failed' | 'dry-run';

/** One resource's action in a run, as the act step reports it. */
export interface ActionResult {
  id: string;
  type: string;
  action: OffHoursDecision['action'];
  wave: number;
  outcome: ActionOutcome;
  reason: string;
  error?: string;
  estimatedSavings?: SavingsEstimate;
  actedAt?: string;
}

/** An action as stored, with its run. */
export type ActionRecord = ActionResult & { runId: string; at: string; dryRun: boolean };

/** A stop announced before the grace period. */
export interface WarningRecord {
  runId: string;
  at: string;
  id: string;
  type: string;
  reason: string;
  stopsAt: string;
  warnedAt: string;
}

/** One evaluation of the off-hours policy. */
export interface RunRecord {
  runId: string;
  /** The evaluation time T: transitions in (since, at] are acted on. */
  at: string;
  since?: string;
  dryRun: boolean;
  trigger: 'timer' | 'http';
  requestedBy: string;
  status: 'running' | 'completed' | 'nothing-due' | 'failed';
  note?: string;
  error?: string;
  /** How many resources the plan gave each action. */
  decisions: Partial<Record<OffHoursDecision['action'], number>>;
  /** How many actions ended each way. */
  outcomes: Partial<Record<ActionOutcome, number>>;
  /** Estimated savings of the stops done (dry run: of the stops that would be done). */
  savings: number;
  startedAt: string;
  completedAt?: string;
}

/** `GET /api/finops/report`: recent runs and actions, and the savings of the month so far. */
export interface FinOpsReport {
  month: string;
  savingsMonthToDate: { amount: number; stops: number };
  /** What the dry runs of the month would have saved (before `DPS_FINOPS_DRY_RUN=false`). */
  dryRunSavingsMonthToDate: { amount: number; stops: number };
  runs: RunRecord[];
  actions: ActionRecord[];
}

const CURSOR = { partitionKey: 'cursor', rowKey: 'offhours' };
const RECENT_RUNS = 20;
const RECENT_ACTIONS = 100;
const month = (iso: string) => iso.slice(0, 7);
const previousMonth = (m: string) => new Date(Date.UTC(Number(m.slice(0, 4)), Number(m.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
const round2 = (x: number) => Math.round(x * 100) / 100;
const newestFirst = (a: string | undefined, b: string | undefined) => (b ?? '').localeCompare(a ?? '');

/** The estimated savings of the stops that ended with `outcome` (`stopped`, or `dry-run` for would-be stops). */
export function stopSavings(actions: ActionResult[], outcome: ActionOutcome): { amount: number; stops: number } {
  const stops = actions.filter((a) => a.action === 'stop' && a.outcome === outcome);
  return { amount: round2(stops.reduce((sum, a) => sum + (a.estimatedSavings?.amount ?? 0), 0)), stops: stops.length };
}

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
    await this.table.upsertEntity({ partitionKey: `run-${month(run.at)}`, rowKey: run.runId, ...packJson('d', run) }, 'Replace');
  }

  /** Writes (or rewrites) the actions of a run. */
  async saveActions(actions: ActionRecord[]): Promise<void> {
    for (const action of actions) await this.table.upsertEntity({ partitionKey: `action-${month(action.at)}`, rowKey: `${action.runId}-${hashedKey(action.id)}`, ...packJson('d', action) }, 'Replace');
  }

  /** Writes (or rewrites) the warnings of a run. */
  async saveWarnings(warnings: WarningRecord[]): Promise<void> {
    for (const warning of warnings) await this.table.upsertEntity({ partitionKey: `warning-${month(warning.at)}`, rowKey: `${warning.runId}-${hashedKey(warning.id)}`, ...packJson('d', warning) }, 'Replace');
  }

  /** The warnings of the month of `at` (for diagnostics and tests). */
  async warnings(at: string): Promise<WarningRecord[]> {
    return this.partition<WarningRecord>(`warning-${month(at)}`);
  }

  /** Runs of this and last month and actions of this month, newest first, with the month's savings. */
  async report(now: Date): Promise<FinOpsReport> {
    const current = month(now.toISOString());
    const runs = [...(await this.partition<RunRecord>(`run-${current}`)), ...(await this.partition<RunRecord>(`run-${previousMonth(current)}`))];
    const actions = await this.partition<ActionRecord>(`action-${current}`);
    return {
      month: current,
      savingsMonthToDate: stopSavings(actions.filter((a) => !a.dryRun), 'stopped'),
      dryRunSavingsMonthToDate: stopSavings(actions.filter((a) => a.dryRun), 'dry-run'),
      runs: runs.sort((a, b) => newestFirst(a.startedAt, b.startedAt)).slice(0, RECENT_RUNS),
      actions: actions.sort((a, b) => newestFirst(a.actedAt ?? a.at, b.actedAt ?? b.at)).slice(0, RECENT_ACTIONS),
    };
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
