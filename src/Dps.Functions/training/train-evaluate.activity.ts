import { selectCandidate, selectionRuleFor } from '../../Dps.Domain/ml/candidate-selection';
import { selectRows, selectValues } from '../../Dps.Domain/ml/feature-matrix';
import { repeatedRecords, rowsSeenInTraining } from '../../Dps.Domain/ml/row-overlap';
import type { EvaluationReport } from '../../Dps.Domain/registry/evaluation-report';
import type { ArtifactRef, CandidateChoice, EvaluationAccounting, ModelMetrics, ScoringDecisions } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { EVALUATE_MODEL } from '../compute/compute-tasks';
import { loadArtifact, saveArtifact } from '../registry/model-artifact';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobRef, putBlob } from '../storage/blob-io';
import { evaluationBlob } from '../storage/blob-layout';
import type { CandidateResult } from './candidate-result';
import { runClassWeights } from './class-weighting';
import { bundleMetrics, evaluationAccounting, scoreChampion } from './evaluate-model';
import { decideScoring } from './scoring-decisions';
import { refitWinner } from './winner-refit';
import { HOLDOUT, silversOf, TrainModelInput } from './training-run';
import { loadTrainingSet, readTrainingPlan } from './training-set';

/** Every candidate of a run, to select from, decide scoring for and evaluate. */
export interface EvaluateInput {
  plan: BlobRef;
  candidates: CandidateResult[];
  run: TrainModelInput;
}

/** What the registry records: the winner's bundle, how it was chosen, its decisions and metrics, and where the details are. */
export interface Evaluation {
  artifact: ArtifactRef;
  winner: CandidateResult;
  selection: CandidateChoice;
  decisions: ScoringDecisions;
  metrics: ModelMetrics;
  baseline: ModelMetrics;
  champion?: { version: number; metrics: ModelMetrics };
  evaluation: { kind: 'test-set' | 'holdout'; rows: number; source: string };
  accounting: EvaluationAccounting;
  details: BlobRef;
}

/** The evaluation details the card reads next to the artifact. */
export interface EvaluationDetails {
  report: EvaluationReport;
  ranking: { id: string; kind: string; metrics: ModelMetrics }[];
  decisions: ScoringDecisions;
  calibration?: { tried: { method: string; logloss: number; ece: number }[] };
  evaluation: Evaluation['evaluation'];
  accounting: EvaluationAccounting;
  champion?: Evaluation['champion'];
}

export const TRAIN_EVALUATE = activity<EvaluateInput, Evaluation>('trainEvaluate');

/**
 * Selects the best candidate on the validation split (the baseline can win), fits its calibration and
 * threshold there, refits it on every training row (fit + validation), stores the resulting bundle, and evaluates it (in the compute pool), the baseline and the
 * current champion on the same evaluation rows; the details go next to the artifact.
 */
export function trainEvaluate(deps: AppDependencies): ActivityHandler<EvaluateInput, Evaluation> {
  return async ({ plan: planRef, candidates, run }) => {
    const blobs = deps.storage().blobs;
    const plan = await readTrainingPlan(blobs, planRef);
    const set = await loadTrainingSet(blobs, plan);
    const { task } = plan.pipeline;
    const rule = selectionRuleFor(task);
    const usable = candidates.filter((c) => c.artifact && !c.failed);
    const selected = selectCandidate(usable.map((c) => ({ id: c.id, kind: c.kind, metrics: c.metrics })), rule);
    if (!selected.ok) throw new Error(`candidate selection: ${selected.error}`);
    const { winner: best, bestOtherKind } = selected.value;
    const winner = usable.find((c) => c.id === best.id) as CandidateResult;
    const weights = runClassWeights(plan.pipeline, set.fit.labels, run.classWeights);
    const decided = decideScoring(await loadArtifact(blobs, winner.artifact as ArtifactRef), set.validation, run.threshold, weights, run.seed);
    const refitted = await refitWinner(deps, winner, decided.bundle, set, run.classWeights, run.seed);
    const decisions: ScoringDecisions = { ...decided.decisions, refit: refitted.refit };
    const artifact = await saveArtifact(blobs, deps.settings.containers, run.model, refitted.bundle);
    const report = await deps.compute().run(EVALUATE_MODEL, { bundle: refitted.bundle, matrix: set.evaluation.matrix, labels: set.evaluation.labels, limits: { seed: run.seed } });
    if (!report.ok) throw new Error(`evaluation: ${report.error}`);
    const baselineCandidate = usable.find((c) => c.kind === 'linear');
    const baseline = baselineCandidate ? bundleMetrics(await loadArtifact(blobs, baselineCandidate.artifact as ArtifactRef), set.evaluation.matrix, set.evaluation.labels) : undefined;
    const champion = await scoreChampion(deps.registry(), blobs, run.model, set.evaluationRows, set.evaluation.labels, task);
    const value = (c: { metrics: ModelMetrics }) => c.metrics[rule.metric];
    const selection: CandidateChoice = {
      metric: rule.metric, higherIsBetter: rule.higherIsBetter, winner: { id: best.id, kind: best.kind, value: value(best) },
      ...(bestOtherKind ? { runnerUp: { id: bestOtherKind.id, kind: bestOtherKind.kind, value: value(bestOtherKind) } } : {}),
      margin: selected.value.margin, summary: selected.value.summary, validationRows: set.validation.labels.length,
    };
    const evaluation = {
      kind: plan.test ? 'test-set' as const : 'holdout' as const,
      rows: set.evaluation.labels.length,
      source: plan.test ? `${plan.test.container}/${plan.test.name}` : `${Math.round(HOLDOUT * 100)}% ${task === 'regression' ? 'random' : 'stratified'} holdout of ${silversOf(plan).map((s) => s.name).join(' + ')}`,
    };
    const inTraining = rowsSeenInTraining([set.fit, set.validation], set.evaluation);
    const unseen = unseenRows(set.evaluation.labels.length, inTraining);
    const metricsWithout = inTraining.length > 0 && unseen.length > 0
      ? bundleMetrics(refitted.bundle, selectRows(set.evaluation.matrix, unseen), selectValues(set.evaluation.labels, unseen)) : undefined;
    const overlap = { repeats: repeatedRecords(set.evaluationRows), inTraining: inTraining.length, metricsWithout };
    const accounting = evaluationAccounting(run, set.evaluation.labels.length, set.evaluationUnlabelled, overlap);
    const details = evaluationBlob(deps.settings.containers, run.model, artifact.sha256);
    const stored: EvaluationDetails = {
      report: report.value, ranking: selected.value.ranking, decisions,
      ...(decided.calibration ? { calibration: { tried: decided.calibration.tried } } : {}),
      evaluation, accounting, ...(champion ? { champion } : {}),
    };
    await putBlob(blobs, details, JSON.stringify(stored), 'application/json');
    return { artifact, winner, selection, decisions, metrics: report.value.metrics, baseline: baseline ?? {}, champion, evaluation, accounting, details };
  };
}

/** Indices 0..rows-1 less the sorted `excluded`. */
function unseenRows(rows: number, excluded: Int32Array): Int32Array {
  const out = new Int32Array(rows - excluded.length);
  let e = 0;
  let w = 0;
  for (let r = 0; r < rows; r++) {
    if (e < excluded.length && excluded[e] === r) e++;
    else out[w++] = r;
  }
  return out;
}
