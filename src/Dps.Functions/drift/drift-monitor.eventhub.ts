import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { PredictionTelemetry } from '../../Dps.Domain/serving/prediction-telemetry';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { requestRetrain } from '../retraining/retrain-request';
import { championReference } from './champion-reference';
import { driftRow } from './drift-features';
import { driftStore, monitorSettings, StoredWindow } from './drift-monitor-store';
import { ClosedWindow, MonitoredRow, MonitorState, foldRows, newMonitor } from './monitor-state';

/** The function that folds prediction telemetry into per-model drift windows. */
export const DRIFT_MONITOR = 'driftMonitor';

/** Event bodies arrive parsed when they are JSON (a Buffer or text otherwise). */
function decode(message: unknown): unknown {
  const text = Buffer.isBuffer(message) ? message.toString('utf8') : message;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isTelemetry(body: unknown): body is PredictionTelemetry {
  const t = body as PredictionTelemetry;
  return typeof t === 'object' && t !== null && typeof t.model === 'string' && typeof t.at === 'string' && typeof t.inputs === 'object' && t.inputs !== null;
}

/** Where each event of the batch sits: its partition and sequence number, from the trigger's metadata. */
export function eventPositions(metadata: Record<string, unknown> | undefined, count: number): { partition: string; sequence: number }[] {
  const m = (metadata ?? {}) as Record<string, any>;
  const sequences = (m.sequenceNumberArray ?? m.SequenceNumberArray) as number[] | undefined;
  const context = (m.partitionContext ?? m.PartitionContext) as Record<string, unknown> | undefined;
  const partition = String(context?.partitionId ?? context?.PartitionId ?? '0');
  if (!Array.isArray(sequences) || sequences.length !== count) throw new Error(`telemetry batch of ${count} events came without one sequence number per event; cannot tell redelivered events`);
  return sequences.map((s) => ({ partition, sequence: Number(s) }));
}

/**
 * Registers `driftMonitor`: reads the `telemetry` hub (consumer group `drift-monitor`) in batches; per
 * model, folds the non-shadow rows into the open window of the champion's reference, closes windows
 * (rows or time), applies hysteresis, and commits state and closed windows under the monitor's ETag
 * (instances and partitions merge; a redelivered event is recognised by its sequence number). Every
 * closed window is audited; a flip to drift is audited with its evidence and starts `retrain-{model}`.
 * A storage failure fails the batch and the retry policy runs it again.
 */
export function registerDriftMonitor(deps: AppDependencies): void {
  const store = driftStore(deps);
  df.app.client.eventHub(DRIFT_MONITOR, {
    connection: 'EventHubConnection',
    eventHubName: '%DPS_TELEMETRY_HUB%',
    consumerGroup: 'drift-monitor',
    cardinality: 'many',
    extraOutputs: [auditOutput],
    retry: { strategy: 'exponentialBackoff', maxRetryCount: -1, minimumInterval: { seconds: 1 }, maximumInterval: { minutes: 5 } },
    handler: async (messages: unknown, client: df.DurableClient, context: InvocationContext): Promise<void> => {
      const bodies = (Array.isArray(messages) ? messages : [messages]).map(decode);
      const positions = eventPositions(context.triggerMetadata as Record<string, unknown>, bodies.length);
      const byModel = new Map<string, { event: PredictionTelemetry; partition: string; sequence: number }[]>();
      bodies.forEach((body, i) => {
        if (!isTelemetry(body) || body.shadow) return;
        const list = byModel.get(body.model) ?? [];
        list.push({ event: body, ...positions[i] });
        byModel.set(body.model, list);
      });
      const settings = monitorSettings(deps);
      for (const [model, events] of byModel) {
        const champion = await championReference(deps, model);
        if (!champion) {
          context.log(`drift: ${events.length} event(s) of model '${model}' skipped: it has no champion to compare with`);
          continue;
        }
        const { version, reference } = champion;
        const rows: MonitoredRow[] = events.map(({ event, partition, sequence }) => ({ partition, sequence, at: event.at, values: driftRow(version.signature, event.inputs) }));
        const now = Date.now();
        const outcome = await store.update(model, (current) => {
          const start = current && current.referenceVersion === version.version ? current : newMonitor(model, version.version, reference, current);
          const folded = foldRows(start, reference, rows, settings, now);
          if (folded.applied === 0 && folded.closed.length === 0 && start === current) return undefined;
          const windows: StoredWindow[] = folded.closed.map((c) => ({ index: c.index, referenceVersion: version.version, drift: c.drift, sketch: c.sketch, hysteresis: c.hysteresis, changed: c.changed }));
          return { state: folded.state, windows, result: { state: folded.state, closed: folded.closed, applied: folded.applied } };
        });
        if (!outcome) continue;
        for (const closed of outcome.closed) auditWindow(context, model, version.version, closed);
        await retrainOnDrift(store, client, context, outcome.state);
        context.log(`drift: model '${model}' v${version.version}: ${outcome.applied} row(s) applied, ${events.length - outcome.applied} redelivered, ${outcome.closed.length} window(s) closed; status ${outcome.state.hysteresis.status}`);
      }
    },
  });
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
