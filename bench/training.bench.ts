/**
 * Training benchmark on UCI Adult: our GBDT against ml-random-forest in the same run, plus single-row latency.
 * Run: npx tsc -p . && node dist/bench/training.bench.js
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RandomForestClassifier } from 'ml-random-forest';
import {
  FeatureColumn,
  FeatureMatrix,
  auc,
  bindToSchema,
  createRandom,
  evaluateBinary,
  predictLinear,
  predictMatrix,
  predictRow,
  sampleIndices,
  schemaOf,
  selectRows,
  selectValues,
  trainGbdt,
  trainLinear,
} from '../src/Dps.Domain/ml';

const ADULT_COLUMNS: [string, 'numeric' | 'categorical'][] = [
  ['age', 'numeric'],
  ['workclass', 'categorical'],
  ['fnlwgt', 'numeric'],
  ['education', 'categorical'],
  ['education-num', 'numeric'],
  ['marital-status', 'categorical'],
  ['occupation', 'categorical'],
  ['relationship', 'categorical'],
  ['race', 'categorical'],
  ['sex', 'categorical'],
  ['capital-gain', 'numeric'],
  ['capital-loss', 'numeric'],
  ['hours-per-week', 'numeric'],
  ['native-country', 'categorical'],
];
const SEED = 42;
const RF_TREES = 100;
// ml-random-forest's CART split search is quadratic in rows (measured ~0.5 s/tree at 1k rows, ~6 s at 4k),
// so it trains on a seeded sample; the GBDT is timed on that same sample and on the full training set.
const RF_ROWS = Number(process.env.DPS_BENCH_RF_ROWS ?? 2000);

interface Labelled {
  matrix: FeatureMatrix;
  labels: Float64Array;
}

/** Prints the Adult figures, or that the bench was skipped when the data is not there. */
export async function run(): Promise<void> {
  const dir = path.join(repoRoot(), '..', 'shared', 'data', 'adult');
  const trainFile = path.join(dir, 'adult.data');
  const testFile = path.join(dir, 'adult.test');
  if (!fs.existsSync(trainFile) || !fs.existsSync(testFile)) {
    console.log(`training bench skipped: Adult data not found in ${dir}`);
    return;
  }
  const train = loadAdult(fs.readFileSync(trainFile, 'utf8'), false);
  const test = loadAdult(fs.readFileSync(testFile, 'utf8'), true);
  console.log(`Adult: ${train.matrix.rows} train rows, ${test.matrix.rows} test rows`);

  const full = timeGbdt(train, test);
  console.log(
    `GBDT full train   : ${ms(full.ms)} train, ${full.trees} trees (best iteration), test AUC ${full.auc.toFixed(4)}, ` +
      `logloss ${full.logLoss.toFixed(4)}, accuracy ${full.accuracy.toFixed(4)}`,
  );

  const sampleRows = sampleIndices(train.matrix.rows, Math.min(RF_ROWS, train.matrix.rows), createRandom(SEED));
  const sample = { matrix: selectRows(train.matrix, sampleRows), labels: selectValues(train.labels, sampleRows) };
  const gbdtSample = timeGbdt(sample, test);
  const forest = timeForest(sample, test);
  console.log(`GBDT ${sample.matrix.rows}-row sample: ${ms(gbdtSample.ms)} train, test AUC ${gbdtSample.auc.toFixed(4)}`);
  console.log(`RF   ${sample.matrix.rows}-row sample: ${ms(forest.ms)} train (${RF_TREES} trees), test AUC ${forest.auc.toFixed(4)}`);
  const ratios = (gbdt: { ms: number; auc: number }): string =>
    `RF/GBDT training time ${(forest.ms / gbdt.ms).toFixed(1)}x, GBDT/RF test AUC ${(gbdt.auc / forest.auc).toFixed(4)}`;
  console.log(`ratio, same ${sample.matrix.rows}-row sample   : ${ratios(gbdtSample)}`);
  console.log(`ratio, GBDT full vs RF sample: ${ratios(full)}`);

  const linearStart = performance.now();
  const linear = trainLinear(train.matrix, train.labels, { objective: 'binary' });
  if (!linear.ok) throw new Error(linear.error);
  const linearMs = performance.now() - linearStart;
  const linearPred = predictLinear(linear.value, test.matrix);
  if (!linearPred.ok) throw new Error(linearPred.error);
  console.log(`logistic baseline : ${ms(linearMs)} train, test AUC ${auc(test.labels, linearPred.value).toFixed(4)}`);

  latency(train, test);
}

function timeGbdt(train: Labelled, test: Labelled): { ms: number; trees: number; auc: number; logLoss: number; accuracy: number } {
  const start = performance.now();
  const trained = trainGbdt(train.matrix, train.labels, { objective: 'binary' }, SEED);
  const elapsed = performance.now() - start;
  if (!trained.ok) throw new Error(trained.error);
  const predicted = predictMatrix(trained.value.model, test.matrix);
  if (!predicted.ok) throw new Error(predicted.error);
  const evaluation = evaluateBinary(test.labels, predicted.value);
  if (!evaluation.ok) throw new Error(evaluation.error);
  const { auc: testAuc, logLoss, accuracy } = evaluation.value;
  return { ms: elapsed, trees: trained.value.bestIteration, auc: testAuc, logLoss, accuracy };
}

/** ml-random-forest needs numbers: categoricals become their training codes (-1 missing or unseen). */
function timeForest(train: Labelled, test: Labelled): { ms: number; auc: number } {
  const trainRows = numericRows(train.matrix, train.matrix);
  const testRows = numericRows(train.matrix, test.matrix);
  const start = performance.now();
  const forest = new RandomForestClassifier({ nEstimators: RF_TREES, seed: SEED, noOOB: true });
  forest.train(trainRows, Array.from(train.labels));
  const elapsed = performance.now() - start;
  const probabilities = Float64Array.from(forest.predictProbability(testRows, 1));
  return { ms: elapsed, auc: auc(test.labels, probabilities) };
}

function numericRows(schemaSource: FeatureMatrix, matrix: FeatureMatrix): number[][] {
  const columns = boundColumns(schemaSource, matrix);
  return Array.from({ length: matrix.rows }, (_, r) =>
    columns.map((values) => {
      const v = values[r];
      return v !== v ? -1 : v;
    }),
  );
}

function boundColumns(schemaSource: FeatureMatrix, matrix: FeatureMatrix): (Float64Array | Int32Array)[] {
  const bound = bindToSchema(schemaOf(schemaSource), matrix);
  if (!bound.ok) throw new Error(bound.error);
  return bound.value.map((column) => column.values);
}

/** Single-row latency of a 100-tree, 31-leaf model, rows pre-encoded as the scoring path would hold them. */
function latency(train: Labelled, test: Labelled): void {
  const trained = trainGbdt(train.matrix, train.labels, { objective: 'binary', numRounds: 100, earlyStoppingRounds: 0, learningRate: 0.1 }, SEED);
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value.model;
  const columns = boundColumns(train.matrix, test.matrix);
  const rows = Array.from({ length: test.matrix.rows }, (_, r) => Float64Array.from(columns, (values) => values[r]));
  let checksum = 0;
  for (const row of rows) checksum += predictRow(model, row);
  // Best and median of several timed runs: the machine is shared, and the best run is the least disturbed one.
  const runs = Array.from({ length: 7 }, () => {
    const start = performance.now();
    for (let pass = 0; pass < 3; pass++) for (const row of rows) checksum += predictRow(model, row);
    return ((performance.now() - start) * 1000) / (3 * rows.length);
  }).sort((a, b) => a - b);
  const batchStart = performance.now();
  const batch = predictMatrix(model, test.matrix);
  const batchUs = ((performance.now() - batchStart) * 1000) / test.matrix.rows;
  if (!batch.ok) throw new Error(batch.error);
  console.log(
    `latency (${model.treeRoots.length} trees, <=31 leaves): single-row best ${runs[0].toFixed(2)} us/row, ` +
      `median ${runs[3].toFixed(2)} (target < 5); batch ${batchUs.toFixed(2)} us/row [checksum ${checksum.toFixed(0)}]`,
  );
}

/** Tiny Adult CSV reader for this bench only: 15 columns, ' ?' missing, test labels end with '.'. */
function loadAdult(text: string, skipFirstLine: boolean): Labelled {
  const lines = text.split('\n').slice(skipFirstLine ? 1 : 0).filter((line) => line.trim() !== '');
  const fields = lines.map((line) => line.split(',').map((field) => field.trim()));
  const columns = ADULT_COLUMNS.map(([name, kind], c): FeatureColumn => {
    if (kind === 'numeric') {
      return { name, kind, values: Float64Array.from(fields, (row) => (row[c] === '?' ? NaN : Number(row[c]))) };
    }
    const categories: string[] = [];
    const codes = new Map<string, number>();
    const values = Int32Array.from(fields, (row) => {
      if (row[c] === '?') return -1;
      if (!codes.has(row[c])) {
        codes.set(row[c], categories.length);
        categories.push(row[c]);
      }
      return codes.get(row[c]) as number;
    });
    return { name, kind, values, categories };
  });
  const labels = Float64Array.from(fields, (row) => (row[14].replace(/\.$/, '') === '>50K' ? 1 : 0));
  return { matrix: { rows: lines.length, columns }, labels };
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

function ms(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(0)} ms`;
}

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
