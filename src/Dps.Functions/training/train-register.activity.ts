import type { Task } from '../../Dps.Domain/ml/feature-pipeline';
import { gateNewVersion } from '../../Dps.Domain/registry/alias-gate';
import type { TrialRecord } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import type { CandidateResult } from './candidate-result';
import type { Evaluation } from './train-evaluate.activity';
import type { TrainedModel, TrainModelInput } from './training-run';
import { readTrainingPlan } from './training-set';

/** Everything the registry records about a training run. */
export interface RegisterInput {
  input: TrainModelInput;
  plan: BlobRef;
  candidates: CandidateResult[];
  evaluation: Evaluation;
  task: Task;
  warnings: string[];
}

export const TRAIN_REGISTER = activity<RegisterInput, TrainedModel>('trainRegister', [auditOutput]);

/** Registers the selected candidate's bundle as the next model version with its lineage, moves an alias through the gate, and audits both. */
export function trainRegister(deps: AppDependencies): ActivityHandler<RegisterInput, TrainedModel> {
  return async (input, context) => {
    const registry = deps.registry();
    const { input: run, evaluation, task, warnings } = input;
    const { winner, selection, decisions, accounting } = evaluation;
    const plan = await readTrainingPlan(deps.storage().blobs, input.plan);
    const trials: TrialRecord[] = input.candidates
      .filter((c) => c.kind === 'gbdt' && c.trial !== undefined)
      .map((t) => ({ trial: t.trial as number, params: { ...t.params }, validationLoss: t.validationLoss ?? NaN, bestIteration: t.bestIteration ?? 0 }));
    // The lineage names the winning candidate and its margin as well as its parameters.
    const chosen = { candidate: winner.id, selectedOn: `validation ${selection.metric}`, margin: selection.margin };
    const params = winner.kind === 'gbdt' ? { ...chosen, ...winner.params, bestIteration: winner.bestIteration ?? 0, trial: winner.trial ?? 0 } : { ...chosen, family: 'linear', ...winner.params };
    // A re-executed activity finds the version it registered (same run, same artifact) and reuses it,
    // with its timestamps, so neither the registry nor the audit chain gets a second entry.
    const existing = (await registry.versions(run.model)).find((v) => v.lineage.pipelineInstanceId === run.pipelineInstanceId && v.artifact.sha256 === evaluation.artifact.sha256);
    const version = existing ?? await registry.register({
      model: run.model, task, algorithm: winner.kind, artifact: evaluation.artifact, label: plan.pipeline.label, signature: plan.pipeline.features,
      metrics: evaluation.metrics, baseline: evaluation.baseline, selection, decisions, accounting, ...(warnings.length ? { warnings } : {}),
      lineage: {
        dataset: run.dataset, datasetSha256: run.datasetSha256, contractRevision: run.contractRevision, silver: run.silver, ...(run.silverWindow ? { silverWindow: run.silverWindow } : {}),
        evaluation: evaluation.evaluation, codeVersion: deps.version, seed: run.seed, params, trials, pipelineInstanceId: run.pipelineInstanceId,
      },
      createdAt: new Date().toISOString(), createdBy: run.submittedBy,
    });
    emitAudit(context, {
      id: `model-${run.model}-v${version.version}`, when: version.createdAt, who: run.submittedBy, what: 'model.registered', outcome: 'registered', instanceId: run.pipelineInstanceId,
      why: `${selection.summary}; ${Object.entries(evaluation.metrics).slice(0, 2).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')} on the ${evaluation.evaluation.kind}`,
      subjects: { model: run.model, version: String(version.version), dataset: run.dataset },
      details: { metrics: evaluation.metrics, artifact: evaluation.artifact.name, winner: winner.id, margin: selection.margin },
    });
    const aliases = await registry.aliasesOf(run.model);
    const gate = aliases.find((a) => a.version === version.version) ?? gateNewVersion({
      model: run.model, version: version.version, task, metrics: evaluation.metrics,
      champion: evaluation.champion ? { version: evaluation.champion.version, metricsOnSameSet: evaluation.champion.metrics } : aliases.find((a) => a.alias === 'champion'),
      who: run.submittedBy, at: version.createdAt,
    });
    // Written again when a re-run finds the alias already moved: an attempt that failed between the
    // alias row and its history row would otherwise leave the move out of the history for good.
    await registry.moveAlias(gate);
    emitAudit(context, {
      id: `alias-${run.model}-${gate.alias}-v${version.version}`, when: gate.at, who: run.submittedBy, what: 'model.alias.moved', outcome: gate.alias, instanceId: run.pipelineInstanceId,
      why: gate.why, subjects: { model: run.model, version: String(version.version) }, details: { comparison: gate.comparison ?? null },
    });
    return {
      name: run.model, version: version.version, task, algorithm: winner.kind, alias: gate.alias, metrics: evaluation.metrics, baseline: evaluation.baseline,
      trials: trials.length, evaluation: { kind: evaluation.evaluation.kind, rows: evaluation.evaluation.rows },
      selection, decisions, accounting, warnings,
    };
  };
}
