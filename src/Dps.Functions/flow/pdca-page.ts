import type * as df from 'durable-functions';
import type { Result } from '../../Dps.Domain/result';
import type { AppDependencies } from '../app-dependencies';
import { FinOpsStore } from '../storage/finops-store';
import { measureFlow } from './flow-input';
import type { FlowWindow } from './flow-window';
import { renderPdcaReport } from './pdca-report';

/**
 * The PDCA page of a window: the flow report, the month's FinOps savings (in the currency of the
 * FinOps hourly costs, taken to be the flow prices' currency) and drift verdicts (none wired yet).
 */
export async function pdcaPage(deps: AppDependencies, client: df.DurableClient, window: FlowWindow, now: Date): Promise<Result<string, string[]>> {
  const report = await measureFlow(deps, client, window);
  if (!report.ok) return report;
  const finops = await new FinOpsStore(await deps.storage().table(deps.settings.tables.finops)).report(now);
  const savings = { month: finops.month, ...finops.savingsMonthToDate, currency: deps.settings.flow.prices.currency };
  return { ok: true, value: renderPdcaReport(report.value, { generatedAt: now.toISOString(), savings }) };
}
