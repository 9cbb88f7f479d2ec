import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { PredictionTelemetry } from '../../Dps.Domain/serving/prediction-telemetry';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput } from '../audit/audit-output';
import { tallyPredictions } from '../flow/latency-tally-store';
import { decodeEventBody } from '../shared/event-body';
import { driftStore } from './drift-monitor-store';
import { applyRows } from './monitor-apply';

/** The function that folds prediction telemetry into per-model drift windows. */
export const DRIFT_MONITOR = 'driftMonitor';

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
      const bodies = (Array.isArray(messages) ? messages : [messages]).map(decodeEventBody);
      const positions = eventPositions(context.triggerMetadata as Record<string, unknown>, bodies.length);
      const byModel = new Map<string, { event: PredictionTelemetry; partition: string; sequence: number }[]>();
      bodies.forEach((body, i) => {
        if (!isTelemetry(body) || body.shadow) return;
        const list = byModel.get(body.model) ?? [];
        list.push({ event: body, ...positions[i] });
        byModel.set(body.model, list);
      });
      await tallyPredictions(deps, [...byModel.values()].flat().map(({ event, partition, sequence }) => ({ model: event.model, latencyMs: event.latencyMs, at: event.at, partition, sequence })));
      for (const [model, events] of byModel) {
        await applyRows(deps, store, client, context, model, events.map(({ event, partition, sequence }) => ({ partition, sequence, at: event.at, inputs: event.inputs })), Date.now());
      }
    },
  });
}
