import type { OrchestrationContext, Task } from 'durable-functions';
import { generateTrials } from '../../Dps.Domain/ml/hyperparameter-trials';
import type { AppDependencies } from '../app-dependencies';
import { withLineage } from '../lineage/lineage-tracked';
import { TRAINING_LINEAGE } from '../lineage/training-lineage';
import { all, call, orchestration, registerActivity, registerOrchestration, schedule } from '../shared/durable-calls';
import { TRAIN_BASELINE, trainBaseline } from './train-baseline.activity';
import { TRAIN_EVALUATE, trainEvaluate } from './train-evaluate.activity';
import { TRAIN_PREPARE, trainPrepare } from './train-prepare.activity';
import { TRAIN_REGISTER, trainRegister } from './train-register.activity';
import { TRAIN_TRIAL, trainTrial } from './train-trial.activity';
import type { TrainedModel, TrainModelInput } from './training-run';

/** Train -> select -> evaluate -> register as one sub-orchestration: the trials and the linear baseline fan out as parallel activities. */
export const TRAIN_MODEL = orchestration<TrainModelInput, TrainedModel | { failed: string }>('trainModel');

function* trainModelOrchestrator(context: OrchestrationContext, input: TrainModelInput): Generator<Task, TrainedModel | { failed: string }, unknown> {
  const prepared = yield* call(context, TRAIN_PREPARE, input);
  if (!prepared.ok) return { failed: prepared.reason };
  context.df.setCustomStatus({ stage: 'trials', trials: input.trials });
  const { plan } = prepared;
  const specs = generateTrials(input.trials, input.seed, prepared.rows.fit);
  const candidates = yield* all(context, [
    schedule(context, TRAIN_BASELINE, { plan, model: input.model, classWeights: input.classWeights }),
    ...specs.map((spec) => schedule(context, TRAIN_TRIAL, { plan, spec, model: input.model, seed: input.seed, classWeights: input.classWeights })),
  ]);
  if (!candidates.some((c) => c.artifact)) return { failed: `no candidate produced a usable model: ${candidates.map((c) => c.failed).filter(Boolean).join('; ')}` };
  context.df.setCustomStatus({ stage: 'evaluate' });
  const evaluation = yield* call(context, TRAIN_EVALUATE, { plan, candidates, run: input });
  context.df.setCustomStatus({ stage: 'register', winner: evaluation.winner.id });
  return yield* call(context, TRAIN_REGISTER, { input, plan, candidates, evaluation, task: prepared.task, warnings: prepared.warnings });
}

/** Registers the training sub-orchestration and its activities. */
export function registerTrainModel(deps: AppDependencies): void {
  registerOrchestration(TRAIN_MODEL, withLineage(TRAINING_LINEAGE, trainModelOrchestrator));
  registerActivity(TRAIN_PREPARE, trainPrepare(deps));
  registerActivity(TRAIN_TRIAL, trainTrial(deps));
  registerActivity(TRAIN_BASELINE, trainBaseline(deps));
  registerActivity(TRAIN_EVALUATE, trainEvaluate(deps));
  registerActivity(TRAIN_REGISTER, trainRegister(deps));
}
