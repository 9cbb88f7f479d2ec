import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TypedValue } from '../../src/Dps.Domain/data/contract-types';
import { transformRows } from '../../src/Dps.Domain/ml/feature-pipeline';
import { modelBundleFromJson, scoreWithBundle } from '../../src/Dps.Domain/ml/model-bundle';
import { ONNX_INPUT, ONNX_PROBABILITY_OUTPUT, ONNX_RAW_OUTPUT, onnxInputRows } from '../../src/Dps.Domain/ml/onnx-export';
import { rawScores } from '../../src/Dps.Domain/ml/tabular-model';
import { expectAccepted, startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ DPS_TRAINING_TRIALS: '1' });
});
afterAll(async () => {
  await app?.host.stop();
});

type Row = Record<string, TypedValue>;

/** A seeded stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Three species by region of (x1, x2) and colour: a non-linear rule; every number is a multiple of 0.25, exact in float32. */
function flowers(rows: number, seed: number): Row[] {
  const next = random(seed);
  return Array.from({ length: rows }, (_, i) => {
    const x1 = Math.round(next() * 40) / 4;
    const x2 = Math.round(next() * 40) / 4;
    const colour = ['red', 'white', 'blue'][Math.floor(next() * 3)];
    const noise = next() < 0.05;
    const rule = x1 > 6 && x2 > 4 ? 'setosa' : colour === 'blue' || x2 < 2 ? 'virginica' : 'versicolor';
    return { id: seed * 100_000 + i, x1, x2, colour, species: noise ? 'versicolor' : rule };
  });
}

/** A binary label that is a logistic function of two numbers: the linear baseline is the right model. */
function linearCalls(rows: number, seed: number): Row[] {
  const next = random(seed);
  return Array.from({ length: rows }, (_, i) => {
    const a = Math.round(next() * 80 - 40) / 4;
    const b = Math.round(next() * 80 - 40) / 4;
    const p = 1 / (1 + Math.exp(-(0.35 * a - 0.25 * b)));
    return { id: seed * 100_000 + i, a, b, answered: next() < p ? 'yes' : 'no' };
  });
}

const csv = (rows: Row[]) => [Object.keys(rows[0]).join(','), ...rows.map((r) => Object.values(r).join(','))].join('\n') + '\n';

/** Runs the downloaded ONNX bytes on `rows` and returns the largest difference from DPS's own scores of the registered bundle. */
async function onnxAgainstDps(model: string, version: number, rows: Row[]): Promise<{ raw: number; probabilities: number }> {
  const stored = await app.call('GET', `models/${model}/versions/${version}/artifact`);
  expect(stored.status).toBe(200);
  const bundle = modelBundleFromJson(await stored.json());
  if (!bundle.ok) throw new Error(bundle.error);
  const download = await app.call('GET', `models/${model}/versions/${version}/artifact?format=onnx`);
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/octet-stream');
  const session = await ort.InferenceSession.create(new Uint8Array(await download.arrayBuffer()));
  const matrix = transformRows(bundle.value.pipeline, rows);
  const schema = bundle.value.model.kind === 'gbdt' ? bundle.value.model.model.schema : bundle.value.model.model.encoder.schema;
  const input = onnxInputRows(schema, matrix);
  if (!input.ok) throw new Error(input.error);
  const out = await session.run({ [ONNX_INPUT]: new ort.Tensor('float32', input.value, [matrix.rows, schema.length]) });
  const raw = rawScores(bundle.value.model, matrix);
  if (!raw.ok) throw new Error(raw.error);
  // Uncalibrated, so the graph's probabilities are the model's own (calibration is applied after the graph).
  const scored = scoreWithBundle({ ...bundle.value, calibration: { method: 'none' } }, matrix);
  if (!scored.ok) throw new Error(scored.error);
  const dps = bundle.value.model.model.objective === 'multiclass' ? scored.value.probabilities! : scored.value.probability!;
  const gap = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    expect(a.length).toBe(b.length);
    return Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
  };
  return { raw: gap(out[ONNX_RAW_OUTPUT].data as Float32Array, raw.value.values), probabilities: gap(out[ONNX_PROBABILITY_OUTPUT].data as Float32Array, dps) };
}

/** Predicts rows through the app and checks the class probabilities are the stored bundle's, calibration included. */
async function servedAsBundleScores(model: string, version: number, rows: Row[]): Promise<void> {
  const stored = modelBundleFromJson(await (await app.call('GET', `models/${model}/versions/${version}/artifact`)).json());
  if (!stored.ok) throw new Error(stored.error);
  const scored = scoreWithBundle(stored.value, transformRows(stored.value.pipeline, rows));
  if (!scored.ok) throw new Error(scored.error);
  const classes = stored.value.pipeline.label.classes ?? [];
  const inputs = rows.map(({ species: _label, ...features }) => features);
  const response = await app.call('POST', `models/${model}/predict?version=${version}`, JSON.stringify({ rows: inputs }));
  expect(response.status).toBe(200);
  const { predictions } = (await response.json()) as { predictions: { probabilities: Record<string, number> }[] };
  predictions.forEach((p, r) => classes.forEach((c, k) => expect(p.probabilities[c]).toBeCloseTo(scored.value.probabilities![r * classes.length + k], 12)));
}

/** A version's model card; it never shows a missing value as null, NaN or undefined. */
async function cardOf(model: string, version: number): Promise<string> {
  const response = await app.call('GET', `models/${model}/versions/${version}/card`);
  expect(response.status).toBe(200);
  const html = await response.text();
  expect(html).not.toMatch(/>(null|NaN|undefined)</);
  expect(html).toContain('<svg');
  return html;
}

describe('model quality through the pipeline', () => {
  it('trains three classes as multiclass, accounts for every test row, and its ONNX export scores as DPS does', async () => {
    const testRows = flowers(400, 2);
    // Two exact repeats (kept and scored, as traffic) and a row whose x1 is not a number (quarantined, with its reason).
    const testCsv = csv(testRows) + csv([testRows[0], testRows[1]]).split('\n').slice(1).join('\n') + '999999,not-a-number,1,red,setosa\n';
    const test = await (await app.call('POST', 'datasets/flowers/testsets', testCsv)).json();
    const run = await app.ingest('flowers', csv(flowers(1500, 1)), `?label=species&test=${test.sha256}`);
    expectAccepted(run);
    expect(run.model).toMatchObject({ name: 'flowers', task: 'multiclass', evaluation: { kind: 'test-set', rows: 402 } });
    expect(Object.keys(run.model.metrics).sort()).toEqual(['accuracy', 'logloss', 'macro_f1']);
    expect(run.model.metrics.accuracy).toBeGreaterThan(0.85);
    expect(run.model.selection).toMatchObject({ metric: 'logloss', higherIsBetter: false, winner: { kind: run.model.algorithm } });
    expect(run.model.selection.summary).toMatch(/won on validation logloss/);
    expect(run.model.accounting).toMatchObject({ read: 403, scored: 402, quarantined: 1, duplicates: 0, unlabelled: 0, repeats: 2 });
    expect(run.model.accounting.notes.join('\n')).toMatch(/2 scored row\(s\) \(0.5%\) repeat an earlier evaluation row exactly: kept and scored/);
    expect(run.model.decisions.refit).toMatchObject({ rows: 1500 });
    expect(run.model.decisions.refit.reason).toMatch(/refitted after selection on all 1500 training rows \(1200 fit \+ 300 validation\)/);
    expect(run.model.accounting.reasons.join('\n')).toMatch(/1 row\(s\) quarantined by the contract: not scored \(each row with its reason in quarantine\/flowers\//);
    expect(run.model.decisions.calibration.reason).toMatch(/temperature/);
    await servedAsBundleScores('flowers', run.model.version, testRows.slice(0, 20));
    const gaps = await onnxAgainstDps('flowers', run.model.version, testRows);
    expect(gaps.raw).toBeLessThan(1e-5);
    expect(gaps.probabilities).toBeLessThan(1e-5);
    const card = await cardOf('flowers', run.model.version);
    for (const text of ['ROC, each class against the rest', 'Precision-recall, each class', 'Confusion matrix', 'Mean |contribution| per feature', 'Per class', 'setosa', 'Evaluation rows', 'scored rows also in training', '<td>trained on</td>']) expect(card).toContain(text);
    expect(card).toMatch(/<td>label<\/td><td>species<\/td>/);
    expect((await app.call('GET', `models/flowers/versions/${run.model.version}/artifact?format=pmml`)).status).toBe(400);
    expect((await app.call('GET', 'models/flowers/versions/7/artifact')).status).toBe(404);
  });

  it('registers the linear baseline when it wins, with calibration and the F1 threshold reported, and exports it to ONNX', async () => {
    const rows = linearCalls(900, 3);
    const run = await app.ingest('calls', csv(rows), '?label=answered');
    expectAccepted(run);
    expect(run.model.selection.winner.kind).toBe('linear');
    expect(run.model.algorithm).toBe('linear');
    expect(run.model.selection.summary).toMatch(/^linear-baseline \(linear\) won on validation auc/);
    expect(run.model.selection.margin).toBeGreaterThanOrEqual(0);
    const registered = (await (await app.call('GET', 'models/calls')).json()).versions[0];
    expect(registered).toMatchObject({ algorithm: 'linear', selection: { winner: { id: 'linear-baseline' } }, lineage: { params: { candidate: 'linear-baseline', selectedOn: 'validation auc', family: 'linear' } } });
    expect(registered.artifact.onnx).toBe(`/api/models/calls/versions/${run.model.version}/artifact?format=onnx`);
    expect(run.model.decisions.threshold).toMatchObject({ rule: 'maximum F1 on the validation split' });
    expect(run.model.decisions.threshold.value).toBeGreaterThan(0);
    expect(run.model.decisions.calibration.reason).toMatch(/log-loss/);
    expect(run.model.accounting).toMatchObject({ read: run.model.evaluation.rows, scored: run.model.evaluation.rows, quarantined: 0, duplicates: 0 });
    const card = await cardOf('calls', run.model.version);
    for (const text of ['ROC (AUC', 'Reliability before / after calibration', 'Confusion at threshold', 'linear-baseline', '<td>positive class</td><td>true</td>', '<td>decision threshold</td>']) expect(card).toContain(text);
    const gaps = await onnxAgainstDps('calls', run.model.version, linearCalls(200, 4));
    expect(gaps.raw).toBeLessThan(1e-5);
    expect(gaps.probabilities).toBeLessThan(1e-5);
  });

  it('says so in the run result when integer class ids are trained as a regression target, and how to override it', async () => {
    // Twelve integer values: inference declares regression (more than ten values), training honours it and warns.
    const rows = Array.from({ length: 600 }, (_, i) => ({ id: i, dose: (i * 7) % 50, site: ['a', 'b'][i % 2], grade: ((i * 7) % 50) % 12 }));
    const run = await app.ingest('grades', csv(rows), '?label=grade');
    expectAccepted(run);
    expect(run.model.task).toBe('regression');
    const warning = "label 'grade' has 12 integer values (0, 1, 2, 3, 4, ...) and is trained as regression because the contract declares task: regression; declare task: multiclass to train a classifier";
    expect(run.model.warnings).toEqual([warning]);
    expect(run.warnings).toContain(warning);
    expect(await cardOf('grades', run.model.version)).toContain(warning.replace(/'/g, '&#39;'));
  });
});
