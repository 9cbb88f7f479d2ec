import { ActionRecord, RunRecord, stopSavings } from './run-records';

/** `GET /api/finops/report`: recent runs and actions, and the savings of the month so far. */
export interface FinOpsReport {
  month: string;
  savingsMonthToDate: { amount: number; stops: number };
  /** What the dry runs of the month would have saved (before `DPS_FINOPS_DRY_RUN=false`). */
  dryRunSavingsMonthToDate: { amount: number; stops: number };
  runs: RunRecord[];
  actions: ActionRecord[];
}

const RECENT_RUNS = 20;
const RECENT_ACTIONS = 100;
const newestFirst = (a: string | undefined, b: string | undefined) => (b ?? '').localeCompare(a ?? '');

/** The month (`YYYY-MM`, UTC) of an ISO time; runs, actions and warnings are kept by it. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7);
}

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 2, 1)).toISOString().slice(0, 7);
}

/** The report of `month` from its runs (and last month's) and its actions: newest first, with the month's savings. */
export function finopsReport(month: string, runs: RunRecord[], actions: ActionRecord[]): FinOpsReport {
  return {
    month,
    savingsMonthToDate: stopSavings(actions.filter((a) => !a.dryRun), 'stopped'),
    dryRunSavingsMonthToDate: stopSavings(actions.filter((a) => a.dryRun), 'dry-run'),
    runs: [...runs].sort((a, b) => newestFirst(a.startedAt, b.startedAt)).slice(0, RECENT_RUNS),
    actions: [...actions].sort((a, b) => newestFirst(a.actedAt ?? a.at, b.actedAt ?? b.at)).slice(0, RECENT_ACTIONS),
  };
}
