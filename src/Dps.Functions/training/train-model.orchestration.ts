import type { OrchestrationContext, Task } from 'durable-functions';
import { generateTrials, pickBestTrial } from '../../Dps.Domain/ml/hyperparameter-trials';
import type { AppDependencies } from '../app-dependencies';
import { all, call, orchestration, registerActivity, registerOrchestration, schedule } from '../shared/durable-calls';
import { TRAIN_EVALUATE, trainEvaluate } from './train-evaluate.activity';
import { TRAIN_PREPARE, trainPrepare } from './train-prepare.activity';
import { TRAIN_REGISTER, trainRegister } from './train-register.activity';
import { TRAIN_TRIAL, trainTrial } from './train-trial.activity';
import type { TrainedModel, TrainModelInput } from './training-run';

/** Train -> evaluate -> register as one sub-orchestration: trials fan out as parallel activities. */
export const TRAIN_MODEL = orchestration<TrainModelInput, TrainedModel | { failed: string }>('trainModel');

function* trainModelOrchestrator(context: OrchestrationContext, input: TrainModelInput): Generator<Task, TrainedModel | { failed: string }, unknown> {
  const prepared = yield* call(context, TRAIN_PREPARE, input);
  if (!prepared.ok) return { failed: prepared.reason };
  context.df.setCustomStatus({ stage: 'trials', trials: input.trials });
  const specs = generateTrials(input.trials, input.seed);
  const results = yield* all(context, specs.map((spec) => schedule(context, TRAIN_TRIAL, { plan: prepared.plan, spec, model: input.model, seed: input.seed })));
  const best = pickBestTrial(results);
  if (!best.ok) return { failed: `no trial produced a usable model: ${best.error}` };
  context.df.setCustomStatus({ stage: 'evaluate', bestTrial: best.value.trial });
  const evaluation = yield* call(context, TRAIN_EVALUATE, { plan: prepared.plan, best: best.value, model: input.model, seed: input.seed, test: input.test });
  context.df.setCustomStatus({ stage: 'register' });
  return yield* call(context, TRAIN_REGISTER, { input, plan: prepared.plan, best: best.value, trials: results, evaluation, task: prepared.task });
}

/** Registers the training sub-orchestration and its activities. */
export function registerTrainModel(deps: AppDependencies): void {
  registerOrchestration(TRAIN_MODEL, trainModelOrchestrator);
  registerActivity(TRAIN_PREPARE, trainPrepare(deps));
  registerActivity(TRAIN_TRIAL, trainTrial(deps));
  registerActivity(TRAIN_EVALUATE, trainEvaluate(deps));
  registerActivity(TRAIN_REGISTER, trainRegister(deps));
}
