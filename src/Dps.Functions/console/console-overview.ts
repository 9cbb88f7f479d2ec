import type * as df from 'durable-functions';
import { abTestStatusBody } from '../../Dps.Domain/rollout/ab-test-state';
import { rolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import type { AppDependencies } from '../app-dependencies';
import { ChainCheck, checkStoredChain } from '../audit/chain-verification';
import { driftStore } from '../drift/drift-monitor-store';
import { finopsServices } from '../finops/finops-services';
import { measureFlow } from '../flow/flow-input';
import type { FlowWindow } from '../flow/flow-window';
import type { PipelineResult } from '../pipeline/pipeline-run';
import { lazyAsync } from '../shared/lazy-async';
import { BadContinuationToken } from '../shared/paging';
import { openAuditStore } from '../storage/audit-store';
import { RunsStore } from '../storage/runs-store';

/** A part of the overview that could not be loaded: the page shows the message in that panel only. */
export interface PartError {
  error: string;
  details?: string[];
}

/** What the overview page shows, each part loaded on its own (docs/console.md). */
export interface ConsoleOverview {
  /** The flow report's window, overall metrics (the value-stream map) and error budgets; not the per-dataset and per-model lists. */
  flow: { window: { from: string; to: string; days: number }; overall: unknown; slo: unknown } | PartError;
  /** The newest finished run (its stage outcomes on the map), null before the first. */
  lastRun: PipelineResult | null | PartError;
  /** A page of models (by name), each with its rollout status and latest closed drift window, or null when none. */
  models: { items: ModelStatus[]; continuationToken: string | null } | PartError;
  finops: { month: string; savingsMonthToDate: { amount: number; stops: number } } | PartError;
  /** The audit chain checked from its checkpoint (`GET /api/audit/verify`). */
  audit: ChainCheck | PartError;
}

/** One model's line on the overview. */
export interface ModelStatus {
  model: string;
  rollout: { status: string; version: number } | null;
  drift: { index: number; referenceVersion: number; datasetDrift: boolean; share: number; status: string } | null;
}

/** A page of the overview's model list. */
export interface OverviewPage {
  top: number;
  continuationToken?: string;
}

/** Milliseconds each part took, by part name (answered as a `Server-Timing` header). */
export type PartTimings = Record<keyof ConsoleOverview, number>;

// A failed part becomes its message (never a stack); the other parts still answer. A page token the
// API did not give out is the caller's error, for the handler to answer with a 400.
async function part<T>(timings: Partial<PartTimings>, name: keyof ConsoleOverview, load: () => Promise<T | PartError>): Promise<T | PartError> {
  const started = performance.now();
  try {
    return await load();
  } catch (error) {
    if (error instanceof BadContinuationToken) throw error;
    return { error: (error as Error).message };
  } finally {
    timings[name] = performance.now() - started;
  }
}

/**
 * The overview's data in one answer, its parts read in parallel: flow metrics, the newest run, a page of
 * models with their rollout and drift, the month's savings, and the audit chain checked from its
 * checkpoint (which moves it). The size is bounded: the flow report without its per-dataset and
 * per-model lists, one run, at most `page.top` models with one drift window each.
 */
export function consoleOverview(deps: AppDependencies): (client: df.DurableClient, window: FlowWindow, page: OverviewPage, now: Date) => Promise<{ overview: ConsoleOverview; timings: PartTimings }> {
  const runs = new RunsStore<PipelineResult>(() => deps.storage().table(deps.settings.tables.runs));
  const drift = driftStore(deps);
  const finops = finopsServices(deps);
  const audit = lazyAsync(() => deps.storage(), (storage) => openAuditStore(storage, deps.settings));

  const modelStatus = async (model: string): Promise<ModelStatus> => {
    const [record, windows] = await Promise.all([deps.serving().rollouts.get(model), drift.windows(model, 1)]);
    const rollout = record ? (record.ab ? abTestStatusBody(record.ab) : rolloutStatusBody(record.state)) : undefined;
    const last = windows[windows.length - 1];
    return {
      model,
      rollout: rollout ? { status: rollout.status, version: rollout.version } : null,
      drift: last ? { index: last.index, referenceVersion: last.referenceVersion, datasetDrift: last.drift.datasetDrift, share: last.drift.share, status: last.hysteresis.status } : null,
    };
  };

  return async (client, window, page, now) => {
    const timings: Partial<PartTimings> = {};
    const [flow, lastRun, models, savings, chain] = await Promise.all([
      part(timings, 'flow', async () => {
        const report = await measureFlow(deps, client, window);
        if (!report.ok) return { error: "stored run records break the flow metrics' rules", details: report.error };
        return { window: report.value.window, overall: report.value.overall, slo: report.value.slo };
      }),
      part(timings, 'lastRun', async () => (await runs.page({ top: 1 })).items[0] ?? null),
      part(timings, 'models', async () => {
        const listed = await deps.registry().page(page.top, page.continuationToken);
        return { items: await Promise.all(listed.items.map((m) => modelStatus(m.model))), continuationToken: listed.continuationToken ?? null };
      }),
      part(timings, 'finops', async () => {
        const report = await (await finops()).store.report(now);
        return { month: report.month, savingsMonthToDate: report.savingsMonthToDate };
      }),
      part(timings, 'audit', async () => checkStoredChain(await audit(), now, { full: false })),
    ]);
    return { overview: { flow, lastRun, models, finops: savings, audit: chain }, timings: timings as PartTimings };
  };
}
