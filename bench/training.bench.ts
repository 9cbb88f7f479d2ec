/**
 * Training benchmark: DPS's GBDT and linear baseline against scikit-learn's HistGradientBoosting and XGBoost
 * (hist), measured in the same run on the same encoded rows, one thread each. Peers run in Debian's
 * /usr/bin/python3 when it has python3-sklearn / python3-xgboost; the bench says so and skips them otherwise.
 * Sets: the bundled churn sample (binary; also relabelled with a non-linear rule), synthetic multiclass and
 * regression sets, and UCI Adult when ../shared/data/adult is present. Then single-row latency.
 * Run: npm run bench training
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { TypedValue } from '../src/Dps.Domain/data/contract-types';
import { selectCandidate, selectionRuleFor } from '../src/Dps.Domain/ml/candidate-selection';
import { scoreCandidate } from '../src/Dps.Domain/ml/candidate-scoring';
import { trainValidationSplit } from '../src/Dps.Domain/ml/data-split';
import { FeatureColumn, LabelledMatrix } from '../src/Dps.Domain/ml/feature-matrix';
import { FeaturePipeline, compileRecordEncoder } from '../src/Dps.Domain/ml/feature-pipeline';
import { bindToSchema, schemaOf } from '../src/Dps.Domain/ml/feature-schema';
import { trainGbdt } from '../src/Dps.Domain/ml/gbdt-trainer';
import { trainLinear } from '../src/Dps.Domain/ml/linear-trainer';
import { gbdtDefaultsFor } from '../src/Dps.Domain/ml/small-data-defaults';
import type { Task } from '../src/Dps.Domain/ml/task-decision';
import { predictMatrix, predictRow } from '../src/Dps.Domain/ml/tree-predictor';
import { churnMatrix, churnRows, nonLinearChurn } from '../tests/domain/ml/churn-sample';
import { multiclassTask, regressionTask } from '../tests/domain/ml/synthetic-data';

const PYTHON = '/usr/bin/python3';
const SEED = 42;

/** The headline metric per task, as reported by DPS and the peers alike. */
const METRIC: Record<Task, string> = { binary: 'auc', multiclass: 'accuracy', regression: 'r2' };

interface PeerResult {
  metric?: number;
  trainSeconds?: number;
  singleRowUs?: number;
  batchUs?: number;
  missing?: string;
}

/** Prints every figure; sets without their data or peers say what is missing and are skipped. */
export async function run(): Promise<void> {
  const peersNote = peerAvailability();
  console.log(`peers: ${peersNote}`);
  for (const rows of [2000, 5000]) {
    compareOnSet(`churn sample ${rows} rows (linear logit)`, 'binary', churnSet(rows, false));
    compareOnSet(`churn sample ${rows} rows (non-linear rule)`, 'binary', churnSet(rows, true));
  }
  const multi = multiclassTask(5000, 1);
  compareOnSet('synthetic 4-class, 5000 rows', 'multiclass', { train: multi, test: multiclassTask(20000, 2) });
  const regression = regressionTask(5000, 3);
  compareOnSet('synthetic regression, 5000 rows', 'regression', { train: regression, test: regressionTask(20000, 4) });

  const adult = loadAdultSets();
  if (adult === null) console.log('Adult skipped: ../shared/data/adult/adult.data and adult.test not found');
  else compareOnSet(`UCI Adult (${adult.train.labels.length} train / ${adult.test.labels.length} test)`, 'binary', adult, true);
  latency(adult);
}

function churnSet(rows: number, nonLinear: boolean): { train: LabelledMatrix; test: LabelledMatrix } {
  const relabel = (r: Record<string, TypedValue>[], seed: number): Record<string, TypedValue>[] => (nonLinear ? nonLinearChurn(r, seed) : r);
  const trainRows = relabel(churnRows(rows, 7), 1);
  return { train: churnMatrix(trainRows).data, test: churnMatrix(trainRows, relabel(churnRows(20000, 99), 2)).data };
}

/**
 * DPS: GBDT with the defaults for the set's size and the linear baseline, both trained on 80% and selected on the
 * other 20% (as a run does), then every model and peer scored on the test set.
 */
function compareOnSet(title: string, task: Task, sets: { train: LabelledMatrix; test: LabelledMatrix }, largeDefaults = false): void {
  const { train, test } = sets;
  const metric = METRIC[task];
  const start = performance.now();
  const trained = trainGbdt(train.matrix, train.labels, largeDefaults ? { objective: task } : gbdtDefaultsFor(task, train.labels.length), SEED);
  const gbdtSeconds = (performance.now() - start) / 1000;
  if (!trained.ok) throw new Error(trained.error);
  const gbdtMetrics = scoreCandidate({ kind: 'gbdt', model: trained.value.model }, test);
  const linearStart = performance.now();
  const linear = trainLinear(train.matrix, train.labels, { objective: task });
  const linearSeconds = (performance.now() - linearStart) / 1000;
  if (!linear.ok) throw new Error(linear.error);
  const linearMetrics = scoreCandidate({ kind: 'linear', model: linear.value }, test);
  if (!gbdtMetrics.ok || !linearMetrics.ok) throw new Error('scoring failed');
  const winner = selectOnValidation(task, train);
  const peers = runPeers(task, train, test);
  console.log(`\n${title}: test ${metric}`);
  const line = (name: string, value: number, seconds: number): string => `  ${name.padEnd(26)} ${value.toFixed(4)}  train ${seconds.toFixed(2)} s`;
  console.log(line(`DPS GBDT (${trained.value.bestIteration} rounds)`, gbdtMetrics.value[metric], gbdtSeconds));
  console.log(line('DPS linear baseline', linearMetrics.value[metric], linearSeconds));
  console.log(`  selection on validation: ${winner}`);
  for (const [name, peer] of Object.entries(peers)) {
    if (peer.missing !== undefined || peer.metric === undefined || peer.trainSeconds === undefined) {
      console.log(`  ${name.padEnd(26)} skipped: ${peer.missing ?? 'no result'}`);
      continue;
    }
    console.log(
      `${line(name, peer.metric, peer.trainSeconds)}  | DPS GBDT/${name}: ${metric} ${(gbdtMetrics.value[metric] - peer.metric).toFixed(4)} (difference), ` +
        `train time ${(gbdtSeconds / peer.trainSeconds).toFixed(2)}x`,
    );
  }
}

function selectOnValidation(task: Task, data: LabelledMatrix): string {
  const split = trainValidationSplit(data, 0.2, SEED, task !== 'regression');
  if (!split.ok) return split.error;
  const { train, validation } = split.value;
  const gbdt = trainGbdt(train.matrix, train.labels, gbdtDefaultsFor(task, train.labels.length), SEED);
  const linear = trainLinear(train.matrix, train.labels, { objective: task });
  if (!gbdt.ok || !linear.ok) return 'a candidate failed to train';
  const rule = selectionRuleFor(task);
  const gbdtScore = scoreCandidate({ kind: 'gbdt', model: gbdt.value.model }, validation);
  const linearScore = scoreCandidate({ kind: 'linear', model: linear.value }, validation);
  if (!gbdtScore.ok || !linearScore.ok) return 'a candidate failed to score';
  const picked = selectCandidate([{ id: 'dps-gbdt', kind: 'gbdt', metrics: gbdtScore.value }, { id: 'linear-baseline', kind: 'linear', metrics: linearScore.value }], rule);
  return picked.ok ? picked.value.summary : picked.error;
}

/** Whether Debian's python3 and its sklearn / xgboost are there, in words. */
function peerAvailability(): string {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found: peers skipped`;
  try {
    return execFileSync(PYTHON, ['-c', PEER_VERSIONS], { encoding: 'utf8' }).trim();
  } catch {
    return `${PYTHON} failed to start: peers skipped`;
  }
}

/** Trains and times the peers in one python3 process on the same encoded rows (categorical codes, NaN missing). */
function runPeers(task: Task, train: LabelledMatrix, test: LabelledMatrix): Record<string, PeerResult> {
  if (!fs.existsSync(PYTHON)) return { 'sklearn HGB': { missing: `${PYTHON} not found` }, 'XGBoost hist': { missing: `${PYTHON} not found` } };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dps-bench-'));
  try {
    const schema = schemaOf(train.matrix);
    const write = (name: string, set: LabelledMatrix): string => {
      const bound = bindToSchema(schema, set.matrix);
      if (!bound.ok) throw new Error(bound.error);
      const lines = Array.from({ length: set.matrix.rows }, (_, r) =>
        [set.labels[r], ...bound.value.map((c) => (c.kind === 'categorical' && c.values[r] < 0 ? NaN : c.values[r]))].join(','),
      );
      const file = path.join(dir, name);
      fs.writeFileSync(file, lines.join('\n'));
      return file;
    };
    const spec = { task, train: write('train.csv', train), test: write('test.csv', test), categorical: schema.map((f) => f.kind === 'categorical' && f.categories.length < 255), seed: SEED };
    const specFile = path.join(dir, 'spec.json');
    fs.writeFileSync(specFile, JSON.stringify(spec));
    const out = execFileSync(PYTHON, ['-c', PEER_SCRIPT, specFile], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 1 << 20 });
    return JSON.parse(out) as Record<string, PeerResult>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { 'sklearn HGB': { missing: reason }, 'XGBoost hist': { missing: reason } };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Single-row latency of a 100-tree, 31-leaf model: pre-encoded rows, raw records through the compiled encoder, and batch. */
function latency(adult: { train: LabelledMatrix; test: LabelledMatrix; records: Record<string, TypedValue>[]; pipeline: FeaturePipeline } | null): void {
  const set = adult ?? { ...churnSet(20000, true), records: null, pipeline: null };
  const trained = trainGbdt(set.train.matrix, set.train.labels, { objective: 'binary', numRounds: 100, earlyStoppingRounds: 0, learningRate: 0.1 }, SEED);
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value.model;
  const bound = bindToSchema(model.schema, set.test.matrix);
  if (!bound.ok) throw new Error(bound.error);
  const rows = Array.from({ length: set.test.matrix.rows }, (_, r) => Float64Array.from(bound.value, (c) => c.values[r]));
  const encoded = bestOf(rows.length, () => {
    let checksum = 0;
    for (const row of rows) checksum += predictRow(model, row);
    return checksum;
  });
  const batchStart = performance.now();
  const batch = predictMatrix(model, set.test.matrix);
  const batchUs = ((performance.now() - batchStart) * 1000) / set.test.matrix.rows;
  if (!batch.ok) throw new Error(batch.error);
  console.log(`\nlatency (${model.treeRoots.length} trees, <=31 leaves, ${adult ? 'Adult' : 'churn sample'}):`);
  console.log(`  single row, pre-encoded : best ${encoded.best.toFixed(2)} us/row, median ${encoded.median.toFixed(2)} (target < 5)`);
  if (set.records && set.pipeline) {
    const encode = compileRecordEncoder(set.pipeline);
    const scratch = new Float64Array(model.schema.length);
    const records = set.records;
    const raw = bestOf(records.length, () => {
      let checksum = 0;
      for (const record of records) checksum += predictRow(model, encode(record, scratch));
      return checksum;
    });
    console.log(`  single row, raw record  : best ${raw.best.toFixed(2)} us/row, median ${raw.median.toFixed(2)} (target < 10)`);
  }
  console.log(`  batch (predictMatrix)   : ${batchUs.toFixed(2)} us/row`);
  const peers = adult ? runPeers('binary', set.train, set.test) : {};
  for (const [name, peer] of Object.entries(peers)) {
    if (peer.singleRowUs === undefined) continue;
    console.log(`  ${name} (its own model) single row ${peer.singleRowUs.toFixed(1)} us, batch ${peer.batchUs?.toFixed(2)} us/row; DPS single-row is ${(peer.singleRowUs / encoded.best).toFixed(0)}x faster`);
  }
}

/** Best and median microseconds per row over 7 timed runs of `pass` (3 passes each); the machine is shared. */
function bestOf(rows: number, pass: () => number): { best: number; median: number } {
  let sink = pass();
  const runs = Array.from({ length: 7 }, () => {
    const start = performance.now();
    for (let i = 0; i < 3; i++) sink += pass();
    return ((performance.now() - start) * 1000) / (3 * rows);
  }).sort((a, b) => a - b);
  if (Number.isNaN(sink)) console.log('(checksum NaN)');
  return { best: runs[0], median: runs[3] };
}

const ADULT_COLUMNS: [string, 'numeric' | 'categorical'][] = [
  ['age', 'numeric'], ['workclass', 'categorical'], ['fnlwgt', 'numeric'], ['education', 'categorical'], ['education-num', 'numeric'],
  ['marital-status', 'categorical'], ['occupation', 'categorical'], ['relationship', 'categorical'], ['race', 'categorical'], ['sex', 'categorical'],
  ['capital-gain', 'numeric'], ['capital-loss', 'numeric'], ['hours-per-week', 'numeric'], ['native-country', 'categorical'],
];

/** Adult train/test as matrices (categories coded in training order), the raw test records, and a pipeline for them. */
function loadAdultSets(): { train: LabelledMatrix; test: LabelledMatrix; records: Record<string, TypedValue>[]; pipeline: FeaturePipeline } | null {
  const dir = path.join(repoRoot(), '..', 'shared', 'data', 'adult');
  const trainFile = path.join(dir, 'adult.data');
  const testFile = path.join(dir, 'adult.test');
  if (!fs.existsSync(trainFile) || !fs.existsSync(testFile)) return null;
  const parse = (text: string, skipFirst: boolean): string[][] =>
    text.split('\n').slice(skipFirst ? 1 : 0).filter((line) => line.trim() !== '').map((line) => line.split(',').map((f) => f.trim()));
  const trainFields = parse(fs.readFileSync(trainFile, 'utf8'), false);
  const testFields = parse(fs.readFileSync(testFile, 'utf8'), true);
  const categories = ADULT_COLUMNS.map(([, kind], c) => (kind === 'categorical' ? [...new Set(trainFields.map((row) => row[c]).filter((v) => v !== '?'))] : []));
  const toMatrix = (fields: string[][]): LabelledMatrix => ({
    matrix: {
      rows: fields.length,
      columns: ADULT_COLUMNS.map(([name, kind], c): FeatureColumn => {
        if (kind === 'numeric') return { name, kind, values: Float64Array.from(fields, (row) => (row[c] === '?' ? NaN : Number(row[c]))) };
        const code = new Map(categories[c].map((v, i) => [v, i]));
        return { name, kind, values: Int32Array.from(fields, (row) => code.get(row[c]) ?? -1), categories: categories[c] };
      }),
    },
    labels: Float64Array.from(fields, (row) => (row[14].replace(/\.$/, '') === '>50K' ? 1 : 0)),
  });
  const records = testFields.map((row) => Object.fromEntries(ADULT_COLUMNS.map(([name, kind], c) => [name, row[c] === '?' ? null : kind === 'numeric' ? Number(row[c]) : row[c]])));
  const pipeline: FeaturePipeline = {
    format: 'dps-feature-pipeline/1',
    task: 'binary',
    label: { column: 'income', positiveClass: '>50K' },
    features: ADULT_COLUMNS.map(([name, kind], c) => (kind === 'numeric' ? { name, kind, source: 'number' as const } : { name, kind, categories: categories[c] })),
    excluded: [],
  };
  return { train: toMatrix(trainFields), test: toMatrix(testFields), records, pipeline };
}

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const PEER_VERSIONS = `
parts = []
for name, module in (('scikit-learn', 'sklearn'), ('xgboost', 'xgboost')):
    try:
        parts.append(name + ' ' + __import__(module).__version__)
    except ImportError:
        parts.append(name + ' missing (apt install python3-' + module + '): its peer is skipped')
print(', '.join(parts))
`;

const PEER_SCRIPT = `
import json, sys, time
import numpy as np
spec = json.load(open(sys.argv[1]))
task = spec['task']
def load(name):
    data = np.loadtxt(spec[name], delimiter=',', ndmin=2)
    return data[:, 1:], data[:, 0]
Xtr, ytr = load('train')
Xte, yte = load('test')
cat = np.array(spec['categorical'], dtype=bool)
out = {}
try:
    from sklearn.metrics import accuracy_score, r2_score, roc_auc_score
except ImportError:
    print(json.dumps({'sklearn HGB': {'missing': 'python3-sklearn not installed'}, 'XGBoost hist': {'missing': 'python3-sklearn (for metrics) not installed'}}))
    sys.exit(0)
def metric(model):
    if task == 'regression':
        return r2_score(yte, model.predict(Xte))
    if task == 'binary':
        return roc_auc_score(yte, model.predict_proba(Xte)[:, 1])
    return accuracy_score(yte, model.predict(Xte))
def timed(model, fit):
    start = time.perf_counter(); fit(); seconds = time.perf_counter() - start
    predict = model.predict if task == 'regression' else model.predict_proba
    rows = [Xte[i:i + 1] for i in range(min(300, len(Xte)))]
    predict(rows[0]); start = time.perf_counter()
    for row in rows: predict(row)
    single = (time.perf_counter() - start) / len(rows) * 1e6
    start = time.perf_counter(); predict(Xte); batch = (time.perf_counter() - start) / len(Xte) * 1e6
    return {'metric': float(metric(model)), 'trainSeconds': seconds, 'singleRowUs': single, 'batchUs': batch}
try:
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    kind = HistGradientBoostingRegressor if task == 'regression' else HistGradientBoostingClassifier
    model = kind(categorical_features=cat if cat.any() else None, random_state=spec['seed'])
    out['sklearn HGB'] = timed(model, lambda: model.fit(Xtr, ytr))
except ImportError:
    out['sklearn HGB'] = {'missing': 'python3-sklearn not installed'}
try:
    import xgboost as xgb
    from sklearn.model_selection import train_test_split
    kind = xgb.XGBRegressor if task == 'regression' else xgb.XGBClassifier
    model = kind(tree_method='hist', n_estimators=1000, learning_rate=0.1, early_stopping_rounds=50, n_jobs=1, random_state=spec['seed'])
    strat = None if task == 'regression' else ytr
    Xa, Xv, ya, yv = train_test_split(Xtr, ytr, test_size=0.1, random_state=spec['seed'], stratify=strat)
    out['XGBoost hist'] = timed(model, lambda: model.fit(Xa, ya, eval_set=[(Xv, yv)], verbose=False))
except ImportError:
    out['XGBoost hist'] = {'missing': 'python3-xgboost not installed'}
print(json.dumps(out))
`;

if (require.main === module) {
  run().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
