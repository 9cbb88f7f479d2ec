import type { InvocationContext } from '@azure/functions';
import type * as df from 'durable-functions';
import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { AppDependencies } from '../app-dependencies';
import { emitAudit } from '../audit/audit-output';
import { requestRetrain } from '../retraining/retrain-request';
import { championReference } from './champion-reference';
import { driftRow } from './drift-features';
import { driftStore, monitorSettings, StoredWindow } from './drift-monitor-store';
import { ClosedWindow, MonitorState, foldRows, newMonitor } from './monitor-state';

/** A telemetry row as the monitor takes it: where it sits in its partition, when it was scored, its inputs. */
export interface TelemetryRow {
  partition: string;
  sequence: number;
  at: string;
  inputs: Readonly<Record<string, TypedValue>>;
}

/**
 * Applies a model's telemetry rows (none: only closes time windows that ended by `nowMs`) to its
 * monitor on the champion's reference: the fold and the windows it closed commit under the monitor's
 * ETag; then each closed window is audited and a drift episode asks for a retrain.
 */
export async function applyRows(deps: AppDependencies, store: ReturnType<typeof driftStore>, client: df.DurableClient, context: InvocationContext, model: string, events: readonly TelemetryRow[], nowMs: number): Promise<void> {
  const champion = await championReference(deps, model);
  if (!champion) {
    if (events.length > 0) context.log(`drift: ${events.length} event(s) of model '${model}' skipped: it has no champion to compare with`);
    return;
  }
  const { version, reference } = champion;
  const settings = monitorSettings(deps);
  const rows = events.map(({ partition, sequence, at, inputs }) => ({ partition, sequence, at, values: driftRow(version.signature, inputs) }));
  const outcome = await store.update(model, (current) => {
    const start = current && current.referenceVersion === version.version ? current : newMonitor(model, version.version, reference, current);
    const folded = foldRows(start, reference, rows, settings, nowMs);
    if (folded.applied === 0 && folded.closed.length === 0 && start === current && folded.state.tooSmall === start.tooSmall) return undefined;
    const windows: StoredWindow[] = folded.closed.map((c) => ({ index: c.index, referenceVersion: version.version, drift: c.drift, sketch: c.sketch, hysteresis: c.hysteresis, changed: c.changed }));
    return { state: folded.state, windows, result: { state: folded.state, closed: folded.closed, applied: folded.applied } };
  });
  if (!outcome) return;
  for (const closed of outcome.closed) auditWindow(context, model, version.version, closed);
  for (const closed of outcome.closed) deps.metrics.recordDriftShare(closed.drift.share, { model });
  await retrainOnDrift(store, client, context, outcome.state);
  context.log(`drift: model '${model}' v${version.version}: ${outcome.applied} row(s) applied, ${events.length - outcome.applied} redelivered, ${outcome.closed.length} window(s) closed; status ${outcome.state.hysteresis.status}`);
}

/** Audits a closed window's verdict, and the monitor's flip when the window caused one. */
function auditWindow(context: InvocationContext, model: string, version: number, closed: ClosedWindow): void {
  const { drift } = closed;
  const drifted = drift.features.filter((f) => f.drift).map((f) => ({ name: f.name, method: f.method, score: f.score, threshold: f.threshold, psi: f.psi }));
  const subjects = { model, version: String(version), window: String(closed.index) };
  const evidence = { start: drift.start, end: drift.end, rows: drift.rows, share: drift.share, drifted: drift.drifted, evaluated: drift.evaluated, features: drifted };
  emitAudit(context, {
    id: `drift-${model}-w${closed.index}-v${version}`, who: 'dps-drift-monitor', what: 'drift.window', outcome: drift.datasetDrift ? 'drift' : 'clean',
    why: `${drift.drifted} of ${drift.evaluated} features drifted in window ${drift.start}..${drift.end} (share ${drift.share.toFixed(2)})`, subjects, details: evidence,
  });
  if (!closed.changed) return;
  const entered = closed.hysteresis.status === 'drift';
  emitAudit(context, {
    id: `drift-${model}-verdict-w${closed.index}-v${version}`, who: 'dps-drift-monitor', what: entered ? 'drift.detected' : 'drift.recovered', outcome: closed.hysteresis.status,
    why: entered
      ? `dataset drift in consecutive windows up to window ${closed.index}: ${drifted.map((f) => f.name).join(', ')}`
      : `consecutive clean windows up to window ${closed.index}`,
    subjects, details: evidence,
  });
}

/**
 * While the monitor says drift, makes sure the drift episode asked for a retrain once: the request is
 * remembered in the monitor (`retrainRequested`), so a batch that failed after its commit asks again.
 */
async function retrainOnDrift(store: ReturnType<typeof driftStore>, client: df.DurableClient, context: InvocationContext, state: MonitorState): Promise<void> {
  const { hysteresis, model } = state;
  if (hysteresis.status !== 'drift' || !hysteresis.since || state.retrainRequested === hysteresis.since) return;
  const windows = await store.windows(model, 1);
  const share = windows[0]?.drift.share ?? 1;
  const request = await requestRetrain(client, { model, trigger: { kind: 'drift', at: new Date().toISOString(), windowEnd: hysteresis.since, share } });
  emitAudit(context, {
    id: `retrain-${model}-drift-${hysteresis.since}-v${state.referenceVersion}`, who: 'dps-drift-monitor', what: 'retrain.triggered', outcome: request.started ? 'started' : 'already-running',
    why: request.started ? `drift since window ending ${hysteresis.since}` : `drift since window ending ${hysteresis.since}; ${request.instanceId} is already running`,
    subjects: { model }, details: { instanceId: request.instanceId, share },
  });
  const since = hysteresis.since;
  await store.update(model, (current) => (current && current.hysteresis.since === since ? { state: { ...current, retrainRequested: since }, windows: [], result: true } : undefined));
}
