import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { badRequest, htmlPage, notFound } from '../shared/http-responses';
import { versionReference } from './champion-reference';
import { driftStore, StoredWindow } from './drift-monitor-store';
import type { MonitorState } from './monitor-state';
import { renderDriftReport } from './drift-report-html';

/** Windows answered unless `?last=` asks for another number. */
const DEFAULT_LAST = 50;

function lastParam(request: HttpRequest): number | string {
  const raw = request.query.get('last');
  if (raw === null) return DEFAULT_LAST;
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 1000 ? n : `last must be a whole number from 1 to 1000, got '${raw}'`;
}

/**
 * Registers `GET /api/models/{model}/drift` (the monitor's closed windows with per-feature verdicts, the
 * standing status and the open window's size) and `GET /api/models/{model}/drift/report` (HTML).
 */
export function registerDriftHttp(deps: AppDependencies): void {
  const store = driftStore(deps);
  const load = async (request: HttpRequest): Promise<{ error: HttpResponseInit } | { model: string; monitor: MonitorState; windows: StoredWindow[] }> => {
    const model = request.params.model;
    const problem = checkModelName(model);
    if (problem) return { error: badRequest(problem) };
    const last = lastParam(request);
    if (typeof last === 'string') return { error: badRequest(last) };
    const [monitor, windows] = await Promise.all([store.monitor(model), store.windows(model, last)]);
    if (!monitor) {
      const known = (await deps.registry().versions(model)).length > 0;
      return { error: known ? notFound(`model '${model}' has no drift monitor yet: no telemetry has been scored against a champion`) : notFound(`no model '${model}'`) };
    }
    return { model, monitor, windows };
  };

  app.http('getModelDrift', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}/drift',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const loaded = await load(request);
      if ('error' in loaded) return loaded.error;
      const { monitor, windows } = loaded;
      return {
        status: 200,
        jsonBody: {
          model: loaded.model, reference: monitor.reference, referenceVersion: monitor.referenceVersion,
          status: monitor.hysteresis.status, since: monitor.hysteresis.since ?? null, streak: monitor.hysteresis.streak,
          open: monitor.open.map((s) => ({ start: s.start, end: s.end, rows: s.rows })), tooSmall: monitor.tooSmall,
          windows: windows.map((w) => ({ index: w.index, referenceVersion: w.referenceVersion, ...w.drift, status: w.hysteresis.status, changed: w.changed })),
          report: `/api/models/${loaded.model}/drift/report`,
        },
      };
    },
  });

  app.http('getModelDriftReport', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}/drift/report',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const loaded = await load(request);
      if ('error' in loaded) return loaded.error;
      const { model, monitor, windows } = loaded;
      const version = await deps.registry().version(model, monitor.referenceVersion);
      if (!version) return notFound(`version ${monitor.referenceVersion} of model '${model}' is gone`);
      const reference = await versionReference(deps, version);
      const html = renderDriftReport({ model, referenceVersion: monitor.referenceVersion, reference, status: monitor.hysteresis, windows: windows.filter((w) => w.referenceVersion === monitor.referenceVersion) });
      return htmlPage(html);
    },
  });
}
