import { Result, err, ok } from '../result';
import { addTreeOutput, BinnedTree } from './binned-tree';
import { trainValidationSplit } from './data-split';
import { FeatureMatrix, LabelledMatrix, checkMatrix } from './feature-matrix';
import { BoundColumn, FeatureSchema, bindToSchema, schemaOf } from './feature-schema';
import { GbdtModel, modelFromTrees } from './gbdt-model';
import { checkLabels, classCount, objectiveFor } from './gbdt-objective';
import { GbdtParams, resolveGbdtParams } from './gbdt-params';
import { binColumns, fitBinning } from './histogram-binner';
import { createRandom, deriveSeed, sampleIndices } from './seeded-random';
import { addLeafOutputs, createGrowContext, growTree } from './tree-grower';

// Callers of trainGbdt build this type; it lives with the matrix but is offered here too.
export type { LabelledMatrix } from './feature-matrix';

/** Mean loss after each round (log-loss for binary and multiclass, squared error for regression). */
export interface TrainingCurve {
  train: number[];
  /** Empty when training ran without a validation set. */
  validation: number[];
}

/** A trained model with the evidence of how it was trained. */
export interface GbdtTrainingResult {
  /** Holds the trees of the first bestIteration rounds (numClasses trees per round for multiclass). */
  model: GbdtModel;
  params: GbdtParams;
  curve: TrainingCurve;
  /** Rounds kept, counted from 1 as in LightGBM: the round with the lowest validation loss, or the last round. */
  bestIteration: number;
  /** Validation loss at bestIteration; NaN without a validation set. */
  validationLoss: number;
  /** Why boosting ended. */
  stopReason: 'rounds' | 'early-stopping' | 'no-split';
  trainRows: number;
  validationRows: number;
}

/**
 * Trains gradient-boosted trees. Validation (for early stopping) is `validation` when given, otherwise, with
 * earlyStoppingRounds > 0 and validationFraction > 0, a seeded holdout of the training rows (stratified for
 * classification). `weights` (one per row, e.g. class weights) scale each row's share of the loss; a given
 * validation set uses its own `weights`. The same inputs and seed give the same model, bit for bit.
 */
export function trainGbdt(
  matrix: FeatureMatrix,
  labels: Float64Array,
  params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>,
  seed: number,
  validation?: LabelledMatrix,
  weights?: Float64Array,
): Result<GbdtTrainingResult> {
  const resolved = resolveGbdtParams(params);
  if (!resolved.ok) return resolved;
  const checked = checkMatrix(matrix, labels);
  if (!checked.ok) return checked;
  const weightCheck = checkWeights(weights, labels.length);
  if (weightCheck !== null) return err(weightCheck);
  const p = { ...resolved.value };
  if (p.objective === 'multiclass' && p.numClasses === 0) p.numClasses = Math.max(2, classCount(labels));
  const labelCheck = checkLabels(p.objective, labels, true, p.numClasses);
  if (!labelCheck.ok) return labelCheck;
  const sets = trainingSets(matrix, labels, weights, p, seed, validation);
  if (!sets.ok) return sets;
  const { train, validation: valid } = sets.value;
  const schema = schemaOf(train.matrix);
  const trainColumns = bindToSchema(schema, train.matrix);
  if (!trainColumns.ok) return trainColumns;
  if (!valid) return ok(boost(schema, { ...train, columns: trainColumns.value }, null, p, seed));
  const validColumns = bindToSchema(schema, valid.matrix);
  if (!validColumns.ok) return err(`validation set: ${validColumns.error}`);
  return ok(boost(schema, { ...train, columns: trainColumns.value }, { ...valid, columns: validColumns.value }, p, seed));
}

/** A labelled matrix with its columns bound to the training schema. */
interface BoundSet extends LabelledMatrix {
  columns: BoundColumn[];
}

/** Why row weights cannot be used, or null. */
function checkWeights(weights: Float64Array | undefined, rows: number): string | null {
  if (weights === undefined) return null;
  if (weights.length !== rows) return `${weights.length} weights for ${rows} rows`;
  return weights.every((w) => Number.isFinite(w) && w >= 0) && weights.some((w) => w > 0) ? null : 'weights must be finite, >= 0 and not all 0';
}

function trainingSets(
  matrix: FeatureMatrix,
  labels: Float64Array,
  weights: Float64Array | undefined,
  p: GbdtParams,
  seed: number,
  validation: LabelledMatrix | undefined,
): Result<{ train: LabelledMatrix; validation: LabelledMatrix | null }> {
  const train: LabelledMatrix = weights ? { matrix, labels, weights } : { matrix, labels };
  if (validation) {
    const checked = checkMatrix(validation.matrix, validation.labels);
    if (!checked.ok) return err(`validation set: ${checked.error}`);
    const weightCheck = checkWeights(validation.weights, validation.labels.length);
    if (weightCheck !== null) return err(`validation set: ${weightCheck}`);
    const labelCheck = checkLabels(p.objective, validation.labels, false, p.numClasses);
    if (!labelCheck.ok) return err(`validation set: ${labelCheck.error}`);
    return ok({ train, validation });
  }
  if (p.earlyStoppingRounds === 0 || p.validationFraction === 0) return ok({ train, validation: null });
  const split = trainValidationSplit(train, p.validationFraction, deriveSeed(seed, 0), p.objective !== 'regression');
  if (!split.ok) return err(`validation split: ${split.error}`);
  const trainLabels = checkLabels(p.objective, split.value.train.labels, true, p.numClasses);
  if (!trainLabels.ok) return err(`after the validation split: ${trainLabels.error}`);
  return ok(split.value);
}

function boost(schema: FeatureSchema[], train: BoundSet, validation: BoundSet | null, p: GbdtParams, seed: number): GbdtTrainingResult {
  const binning = fitBinning(train.columns, p.maxBins);
  const binnedTrain = binColumns(train.columns, binning, train.matrix.rows);
  const binnedValid = validation ? binColumns(validation.columns, binning, validation.matrix.rows) : null;

  const objective = objectiveFor(p.objective, p.numClasses);
  const k = objective.outputs;
  const trainWeights = train.weights ?? null;
  const validWeights = validation?.weights ?? null;
  const initScores = objective.initScores(train.labels, trainWeights);
  const n = train.matrix.rows;
  const validRows = validation ? validation.matrix.rows : 0;
  const scores = classMajor(initScores, n);
  const validScores = classMajor(initScores, validRows);
  const grad = new Float64Array(n * k);
  const hess = new Float64Array(n * k);
  const categorical = Uint8Array.from(schema, (feature) => (feature.kind === 'categorical' ? 1 : 0));
  const ctx = createGrowContext(binnedTrain, categorical, p);
  const random = createRandom(deriveSeed(seed, 1));
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const allFeatures = Int32Array.from(schema, (_, f) => f);
  const bagSize = Math.max(1, Math.round(n * p.baggingFraction));
  const featureCount = Math.max(1, Math.round(schema.length * p.featureFraction));

  const trees: BinnedTree[] = [];
  const curve: TrainingCurve = { train: [], validation: [] };
  let bestRound = 0;
  let bestLoss = Infinity;
  let stopReason: GbdtTrainingResult['stopReason'] = 'rounds';
  // The gradient pass also gives the training loss of the scores it starts from: the previous round's.
  let previousRoundKept = false;
  for (let round = 0; round < p.numRounds; round++) {
    const trainLoss = objective.gradients(train.labels, scores, trainWeights, grad, hess);
    if (previousRoundKept) curve.train.push(trainLoss);
    previousRoundKept = false;
    const rows = bagSize < n ? sampleIndices(n, bagSize, random) : allRows;
    const features = featureCount < schema.length ? sampleIndices(schema.length, featureCount, random) : allFeatures;
    const roundTrees: BinnedTree[] = [];
    for (let c = 0; c < k; c++) {
      const classScores = scores.subarray(c * n, (c + 1) * n);
      const grown = growTree(ctx, grad.subarray(c * n, (c + 1) * n), hess.subarray(c * n, (c + 1) * n), rows, features);
      roundTrees.push(grown.tree);
      // Without bagging every training row sits in a leaf already; with it, out-of-bag rows must walk the tree.
      if (rows === allRows) addLeafOutputs(ctx, grown, classScores);
      else addTreeOutput(grown.tree, binnedTrain, classScores);
    }
    // A round where no class found a split changes nothing but a constant: boosting has converged.
    if (roundTrees.every((tree) => tree.numLeaves === 1)) {
      stopReason = 'no-split';
      break;
    }
    trees.push(...roundTrees);
    previousRoundKept = true;
    const rounds = trees.length / k;
    if (!validation || !binnedValid) continue;
    roundTrees.forEach((tree, c) => addTreeOutput(tree, binnedValid, validScores.subarray(c * validRows, (c + 1) * validRows)));
    const loss = objective.meanLoss(validation.labels, validScores, validWeights);
    curve.validation.push(loss);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestRound = rounds;
    } else if (p.earlyStoppingRounds > 0 && rounds - bestRound >= p.earlyStoppingRounds) {
      stopReason = 'early-stopping';
      break;
    }
  }
  if (previousRoundKept) curve.train.push(objective.meanLoss(train.labels, scores, trainWeights));
  const kept = validation && p.earlyStoppingRounds > 0 ? bestRound : trees.length / k;
  return {
    model: modelFromTrees(p.objective, initScores, schema, binning, trees.slice(0, kept * k)),
    params: p,
    curve,
    bestIteration: kept,
    validationLoss: kept > 0 && curve.validation.length > 0 ? curve.validation[kept - 1] : NaN,
    stopReason,
    trainRows: n,
    validationRows: validRows,
  };
}

/** Per-output constants repeated over `rows`, class-major. */
function classMajor(values: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(values.length * rows);
  values.forEach((value, c) => out.fill(value, c * rows, (c + 1) * rows));
  return out;
}
