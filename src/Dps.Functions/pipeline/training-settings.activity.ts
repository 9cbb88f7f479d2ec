import type { AppDependencies } from '../app-dependencies';
import type { DpsSettings } from '../settings';
import { activity, ActivityHandler } from '../shared/durable-calls';

/** How many trials training runs, with which seed, and its class, weighting and threshold settings. */
export type TrainingSettings = DpsSettings['training'];

export const TRAINING_SETTINGS = activity<undefined, TrainingSettings>('pipelineTrainingSettings');

/** The training settings; read in an activity because orchestrators must not read the environment. */
export function trainingSettings(deps: AppDependencies): ActivityHandler<undefined, TrainingSettings> {
  return async () => deps.settings.training;
}
