import { Result, err, ok } from '../result';
import { addTreeOutput, BinnedTree } from './binned-tree';
import { trainValidationSplit } from './data-split';
import { FeatureMatrix, LabelledMatrix, checkMatrix } from './feature-matrix';
import { BoundColumn, FeatureSchema, bindToSchema, schemaOf } from './feature-schema';
import { GbdtModel, modelFromTrees } from './gbdt-model';
import { checkLabels, objectiveFor } from './gbdt-objective';
import { GbdtParams, resolveGbdtParams } from './gbdt-params';
import { binColumns, fitBinning } from './histogram-binner';
import { createRandom, deriveSeed, sampleIndices } from './seeded-random';
import { addLeafOutputs, createGrowContext, growTree } from './tree-grower';

// Callers of trainGbdt build this type; it lives with the matrix but is offered here too.
export type { LabelledMatrix } from './feature-matrix';

/** Mean loss after each round (log-loss for binary, squared error for regression). */
export interface TrainingCurve {
  train: number[];
  /** Empty when training ran without a validation set. */
  validation: number[];
}

/** A trained model with the evidence of how it was trained. */
export interface GbdtTrainingResult {
  /** Holds the first bestIteration trees. */
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
 * earlyStoppingRounds > 0 and validationFraction > 0, a seeded holdout of the training rows (stratified for binary).
 * The same inputs and seed give the same model, bit for bit.
 */
export function trainGbdt(
  matrix: FeatureMatrix,
  labels: Float64Array,
  params: Partial<GbdtParams> & Pick<GbdtParams, 'objective'>,
  seed: number,
  validation?: LabelledMatrix,
): Result<GbdtTrainingResult> {
  const resolved = resolveGbdtParams(params);
  if (!resolved.ok) return resolved;
  const p = resolved.value;
  const checked = checkMatrix(matrix, labels);
  if (!checked.ok) return checked;
  const labelCheck = checkLabels(p.objective, labels, true);
  if (!labelCheck.ok) return labelCheck;
  const sets = trainingSets(matrix, labels, p, seed, validation);
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

function trainingSets(
  matrix: FeatureMatrix,
  labels: Float64Array,
  p: GbdtParams,
  seed: number,
  validation: LabelledMatrix | undefined,
): Result<{ train: LabelledMatrix; validation: LabelledMatrix | null }> {
  const train = { matrix, labels };
  if (validation) {
    const checked = checkMatrix(validation.matrix, validation.labels);
    if (!checked.ok) return err(`validation set: ${checked.error}`);
    const labelCheck = checkLabels(p.objective, validation.labels, false);
    if (!labelCheck.ok) return err(`validation set: ${labelCheck.error}`);
    return ok({ train, validation });
  }
  if (p.earlyStoppingRounds === 0 || p.validationFraction === 0) return ok({ train, validation: null });
  const split = trainValidationSplit(train, p.validationFraction, deriveSeed(seed, 0), p.objective === 'binary');
  if (!split.ok) return err(`validation split: ${split.error}`);
  const trainLabels = checkLabels(p.objective, split.value.train.labels, true);
  if (!trainLabels.ok) return err(`after the validation split: ${trainLabels.error}`);
  return ok(split.value);
}

function boost(schema: FeatureSchema[], train: BoundSet, validation: BoundSet | null, p: GbdtParams, seed: number): GbdtTrainingResult {
  const binning = fitBinning(train.columns, p.maxBins);
  const binnedTrain = binColumns(train.columns, binning, train.matrix.rows);
  const binnedValid = validation ? binColumns(validation.columns, binning, validation.matrix.rows) : null;

  const objective = objectiveFor(p.objective);
  const initScore = objective.initScore(train.labels);
  const n = train.matrix.rows;
  const scores = new Float64Array(n).fill(initScore);
  const validScores = new Float64Array(validation ? validation.matrix.rows : 0).fill(initScore);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const categorical = Uint8Array.from(schema, (feature) => (feature.kind === 'categorical' ? 1 : 0));
  const ctx = createGrowContext(binnedTrain, categorical, p);
  const random = createRandom(deriveSeed(seed, 1));
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const allFeatures = Int32Array.from(schema, (_, f) => f);
  const bagSize = Math.max(1, Math.round(n * p.baggingFraction));
  const featureCount = Math.max(1, Math.round(schema.length * p.featureFraction));

  const trees: BinnedTree[] = [];
  const curve: TrainingCurve = { train: [], validation: [] };
  let bestIteration = 0;
  let bestLoss = Infinity;
  let stopReason: GbdtTrainingResult['stopReason'] = 'rounds';
  for (let round = 0; round < p.numRounds; round++) {
    objective.gradients(train.labels, scores, grad, hess);
    const rows = bagSize < n ? sampleIndices(n, bagSize, random) : allRows;
    const features = featureCount < schema.length ? sampleIndices(schema.length, featureCount, random) : allFeatures;
    const grown = growTree(ctx, grad, hess, rows, features);
    const tree = grown.tree;
    if (tree.numLeaves === 1) {
      stopReason = 'no-split';
      break;
    }
    trees.push(tree);
    // Without bagging every training row sits in a leaf already; with it, out-of-bag rows must walk the tree.
    if (rows === allRows) addLeafOutputs(ctx, grown, scores);
    else addTreeOutput(tree, binnedTrain, scores);
    curve.train.push(objective.meanLoss(train.labels, scores));
    if (!validation || !binnedValid) continue;
    addTreeOutput(tree, binnedValid, validScores);
    const loss = objective.meanLoss(validation.labels, validScores);
    curve.validation.push(loss);
    if (loss < bestLoss) {
      bestLoss = loss;
      bestIteration = trees.length;
    } else if (p.earlyStoppingRounds > 0 && trees.length - bestIteration >= p.earlyStoppingRounds) {
      stopReason = 'early-stopping';
      break;
    }
  }
  const kept = validation && p.earlyStoppingRounds > 0 ? bestIteration : trees.length;
  return {
    model: modelFromTrees(p.objective, initScore, schema, binning, trees.slice(0, kept)),
    params: p,
    curve,
    bestIteration: kept,
    validationLoss: kept > 0 && curve.validation.length > 0 ? curve.validation[kept - 1] : NaN,
    stopReason,
    trainRows: n,
    validationRows: validation ? validation.matrix.rows : 0,
  };
}
