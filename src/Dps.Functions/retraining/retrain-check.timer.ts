import type { InvocationContext, Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { mergeCounters, onlineMetric, VersionCounters } from '../../Dps.Domain/rollout/rollout-counters';
import { performanceTrigger, RetrainTrigger, volumeTrigger } from '../../Dps.Domain/retraining/retrain-trigger';
import { describeTrigger } from '../../Dps.Domain/retraining/retraining-policy';
import type { ModelVersion } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { countersEntity, CountersState } from '../rollout/rollout-counters.entity';
import { requestRetrain } from './retrain-request';
import { trainingProgress } from './training-progress';

/** The champion's online metric over every counted window (labelled feedback the counters entity holds), if any. */
async function championOnline(client: df.DurableClient, version: ModelVersion): Promise<{ metric: string; value: number; labels: number } | undefined> {
  const response = await client.readEntityState<CountersState>(countersEntity(version.model));
  if (!response.entityExists || !response.entityState) return undefined;
  let merged: VersionCounters | undefined;
  for (const window of Object.values(response.entityState.windows)) {
    const counts = window[String(version.version)];
    if (counts) merged = merged ? mergeCounters(merged, counts) : counts;
  }
  if (!merged || version.task === 'multiclass') return undefined;
  const online = onlineMetric(merged, version.task);
  return { metric: online.name, value: online.value, labels: online.labelled };
}

/**
 * The trigger a check finds for a model: performance decay (DPS_RETRAIN_PERFORMANCE over the champion's
 * labelled feedback), else new-data volume (DPS_RETRAIN_VOLUME_ROWS since the champion's training),
 * else the schedule itself.
 */
export async function automaticTrigger(deps: AppDependencies, client: df.DurableClient, champion: ModelVersion, at: string): Promise<RetrainTrigger> {
  const { performance, volumeRows } = deps.settings.retraining;
  if (performance) {
    const online = await championOnline(client, champion);
    const decayed = online ? performanceTrigger(online, performance, at) : null;
    if (decayed) return decayed;
  }
  if (volumeRows > 0) {
    const progress = await trainingProgress(deps, champion.lineage.dataset, champion);
    const volume = volumeTrigger(progress.newRows, volumeRows, at);
    if (volume) return volume;
  }
  return { kind: 'schedule', at };
}

/**
 * Registers `retrainCheck` on DPS_RETRAIN_SCHEDULE (nothing when the setting is empty): for every model
 * with a champion, finds its trigger and starts `retrain-{model}` unless one runs (the orchestration
 * then decides on cool-down, minimum rows and rollouts). Every trigger is audited.
 */
export function registerRetrainCheck(deps: AppDependencies): void {
  if (!deps.settings.retraining.schedule) return;
  df.app.client.timer('retrainCheck', {
    schedule: '%DPS_RETRAIN_SCHEDULE%',
    extraOutputs: [auditOutput],
    handler: async (_timer: Timer, client: df.DurableClient, context: InvocationContext): Promise<void> => {
      const registry = deps.registry();
      const at = new Date().toISOString();
      for (const alias of await registry.champions()) {
        const champion = await registry.version(alias.model, alias.version);
        if (!champion) continue;
        const trigger = await automaticTrigger(deps, client, champion, at);
        const request = await requestRetrain(client, { model: champion.model, trigger });
        emitAudit(context, {
          id: `retrain-${champion.model}-${trigger.kind}-${at}`, who: 'dps-retrain-check', what: 'retrain.triggered', when: at,
          outcome: request.started ? 'started' : 'already-running', why: `${describeTrigger(trigger)}${request.started ? '' : `; ${request.instanceId} is already running`}`,
          subjects: { model: champion.model }, details: { ...trigger },
        });
        context.log(`retrain check: ${champion.model}: ${trigger.kind} trigger, ${request.started ? 'started' : 'already running'}`);
      }
    },
  });
}
