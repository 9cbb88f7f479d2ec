import { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { structuredLog } from '../shared/structured-log';
import { putBlob } from '../storage/blob-io';
import { pdcaReportBlob } from '../storage/blob-layout';
import { previousWeek } from './flow-window';
import { pdcaPage } from './pdca-page';

/**
 * Registers `flowPdcaReportTimer` (setting DPS_FLOW_REPORT_SCHEDULE, Mondays 06:00 UTC by default, read
 * with the other settings so a host without it still indexes the timer): the week before today as an
 * HTML PDCA page in container `reports` (`flow/pdca-{week end}.html`). A second firing the same day
 * rewrites the same blob with the same window.
 */
export function registerPdcaReportTimer(deps: AppDependencies): void {
  df.app.client.timer('flowPdcaReportTimer', {
    schedule: deps.settings.flow.reportSchedule,
    handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext): Promise<void> => {
      const now = new Date();
      const window = previousWeek(now.getTime());
      const page = await pdcaPage(deps, client, window, now);
      if (!page.ok) throw new Error(`the weekly PDCA report was not written: ${page.error.join('; ')}`);
      const target = pdcaReportBlob(deps.settings.containers, window.to);
      await putBlob(deps.storage().blobs, target, page.value, 'text/html; charset=utf-8');
      structuredLog(context).info('weekly PDCA report written', { from: window.from, to: window.to, blob: `${target.container}/${target.name}` });
    },
  });
}
