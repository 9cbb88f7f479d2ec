import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import type { AbTestPlan } from '../../Dps.Domain/rollout/ab-test';
import { orchestration } from '../shared/durable-calls';

/** What starts an A/B test orchestration (instance `rollout-{model}`, so it shares the one-at-a-time rule). */
export interface AbTestInput {
  model: string;
  task: Task;
  champion: number;
  plan: AbTestPlan;
  /** The aliases that name arm versions now (champion, challenger); other arms answer as `v{n}`. */
  aliases: Record<string, string>;
  requestedBy: string;
  /** How often the test re-reads its counters (a setting, passed in). */
  pollSeconds: number;
}

/** An A/B test over fixed arms: `POST /api/models/{model}/rollout {"mode":"ab", ...}`. */
export const AB_TEST = orchestration<AbTestInput, Record<string, unknown>>('abTest');
