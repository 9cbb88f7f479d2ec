import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import { gateNewVersion } from '../../Dps.Domain/registry/alias-gate';
import type { TrialRecord } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import type { Evaluation } from './train-evaluate.activity';
import type { TrialResult } from './train-trial.activity';
import type { TrainedModel, TrainModelInput } from './training-run';
import { readTrainingPlan } from './training-set';

/** Everything the registry records about a training run. */
export interface RegisterInput {
  input: TrainModelInput;
  plan: BlobRef;
  best: TrialResult;
  trials: TrialResult[];
  evaluation: Evaluation;
  task: Task;
}

export const TRAIN_REGISTER = activity<RegisterInput, TrainedModel>('trainRegister', [auditOutput]);

/** Registers the best trial as the next model version with its lineage, moves an alias through the gate, and audits both. */
export function trainRegister(deps: AppDependencies): ActivityHandler<RegisterInput, TrainedModel> {
  return async (input, context) => {
    const registry = deps.registry();
    const { input: run, best, evaluation, task } = input;
    const plan = await readTrainingPlan(deps.storage().blobs, input.plan);
    const trials: TrialRecord[] = input.trials.map((t) => ({ trial: t.trial, params: { ...t.params }, validationLoss: t.validationLoss, bestIteration: t.bestIteration }));
    // A re-executed activity finds the version it registered (same run, same artifact) and reuses it,
    // with its timestamps, so neither the registry nor the audit chain gets a second entry.
    const existing = (await registry.versions(run.model)).find((v) => v.lineage.pipelineInstanceId === run.pipelineInstanceId && v.artifact.sha256 === best.artifact.sha256);
    const version = existing ?? await registry.register({
      model: run.model, task, algorithm: 'gbdt', artifact: best.artifact, signature: plan.pipeline.features,
      metrics: evaluation.metrics, baseline: evaluation.baseline,
      lineage: {
        dataset: run.dataset, datasetSha256: run.datasetSha256, contractRevision: run.contractRevision, silver: run.silver, ...(run.silverWindow ? { silverWindow: run.silverWindow } : {}),
        evaluation: evaluation.evaluation, codeVersion: deps.version, seed: run.seed, params: { ...best.params, bestIteration: best.bestIteration, trial: best.trial },
        trials, pipelineInstanceId: run.pipelineInstanceId,
      },
      createdAt: new Date().toISOString(), createdBy: run.submittedBy,
    });
    emitAudit(context, {
      id: `model-${run.model}-v${version.version}`, when: version.createdAt, who: run.submittedBy, what: 'model.registered', outcome: 'registered', instanceId: run.pipelineInstanceId,
      why: `best of ${trials.length} trials (trial ${best.trial}); ${Object.entries(evaluation.metrics).slice(0, 2).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} on the ${evaluation.evaluation.kind}`,
      subjects: { model: run.model, version: String(version.version), dataset: run.dataset }, details: { metrics: evaluation.metrics, artifact: best.artifact.name },
    });
    const aliases = await registry.aliasesOf(run.model);
    let gate = aliases.find((a) => a.version === version.version);
    if (!gate) {
      gate = gateNewVersion({
        model: run.model, version: version.version, task, metrics: evaluation.metrics,
        champion: evaluation.champion ? { version: evaluation.champion.version, metricsOnSameSet: evaluation.champion.metrics } : aliases.find((a) => a.alias === 'champion'),
        who: run.submittedBy, at: version.createdAt,
      });
      await registry.moveAlias(gate);
    }
    emitAudit(context, {
      id: `alias-${run.model}-${gate.alias}-v${version.version}`, when: gate.at, who: run.submittedBy, what: 'model.alias.moved', outcome: gate.alias, instanceId: run.pipelineInstanceId,
      why: gate.why, subjects: { model: run.model, version: String(version.version) }, details: { comparison: gate.comparison ?? null },
    });
    return {
      name: run.model, version: version.version, task, algorithm: 'gbdt', alias: gate.alias, metrics: evaluation.metrics, baseline: evaluation.baseline,
      trials: trials.length, evaluation: { kind: evaluation.evaluation.kind, rows: evaluation.evaluation.rows },
    };
  };
}
