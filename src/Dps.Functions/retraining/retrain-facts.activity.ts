import * as df from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import { activity } from '../shared/durable-calls';
import { RetrainingStore } from '../storage/retraining-store';
import { rolloutInstanceId } from '../rollout/rollout-run';
import { isActive } from './retrain-request';
import type { RetrainFacts } from './retrain-run';
import { trainingProgress } from './training-progress';

export const RETRAIN_FACTS = activity<{ model: string }, RetrainFacts>('retrainFacts');

/** The retraining row of table `drift`. */
export function retrainingStore(deps: AppDependencies): RetrainingStore {
  return new RetrainingStore(() => deps.storage().table(deps.settings.tables.drift));
}

/**
 * Reads what a retrain decides on: the champion and the silver version it was trained through, the
 * dataset's silver versions, rows since, the last start, whether `rollout-{model}` runs, and the settings.
 */
export function registerRetrainFacts(deps: AppDependencies): void {
  df.app.activity(RETRAIN_FACTS.name, {
    extraInputs: [df.input.durableClient()],
    handler: async (input: unknown, context): Promise<RetrainFacts> => {
      const { model } = input as { model: string };
      const registry = deps.registry();
      const championAlias = (await registry.aliasesOf(model)).find((a) => a.alias === 'champion');
      const champion = championAlias ? await registry.version(model, championAlias.version) : undefined;
      const dataset = champion?.lineage.dataset ?? model;
      const { versions, trainedThrough, newRows } = await trainingProgress(deps, dataset, champion);
      const record = await retrainingStore(deps).read(model);
      const { retraining, training } = deps.settings;
      return {
        champion: champion ? { version: champion.version, dataset, trainedThrough } : undefined,
        versions,
        newRows,
        lastStartedAt: record.lastStartedAt,
        rolloutRunning: await isActive(df.getClient(context), rolloutInstanceId(model)),
        policy: retraining.policy,
        window: retraining.window,
        training,
      };
    },
  });
}
