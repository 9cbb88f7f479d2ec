import * as df from 'durable-functions';
import { newRowsSince } from '../../Dps.Domain/retraining/training-window';
import type { AppDependencies } from '../app-dependencies';
import { trainingSilvers } from '../drift/champion-reference';
import { activity } from '../shared/durable-calls';
import { RetrainingStore } from '../storage/retraining-store';
import { rolloutInstanceId } from '../rollout/rollout-run';
import { isActive } from './retrain-request';
import type { RetrainFacts, WindowVersion } from './retrain-run';

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
      const catalog = await deps.dataPlane().silver.list(dataset);
      const versions: WindowVersion[] = catalog.map((v) => ({ version: v.version, committedAt: v.createdAt, rows: v.rows.accepted, silver: v.silver, sha256: v.sha256, contractRevision: v.contractRevision }));
      const trainedOn = new Set(champion ? trainingSilvers(champion).map((s) => `${s.container}/${s.name}`) : []);
      const trainedThrough = Math.max(0, ...versions.filter((v) => trainedOn.has(`${v.silver.container}/${v.silver.name}`)).map((v) => v.version));
      const record = await retrainingStore(deps).read(model);
      const { retraining, training } = deps.settings;
      return {
        champion: champion ? { version: champion.version, dataset, trainedThrough } : undefined,
        versions,
        newRows: newRowsSince(versions.map((v) => ({ version: v.version, committedAt: v.committedAt, rows: v.rows })), trainedThrough),
        lastStartedAt: record.lastStartedAt,
        rolloutRunning: await isActive(df.getClient(context), rolloutInstanceId(model)),
        policy: retraining.policy,
        window: retraining.window,
        training: { trials: training.trials, seed: training.seed },
      };
    },
  });
}
