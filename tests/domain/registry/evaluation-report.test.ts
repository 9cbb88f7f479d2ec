import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import type { FeaturePipeline } from '../../../src/Dps.Domain/ml/feature-pipeline';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import type { ModelBundle } from '../../../src/Dps.Domain/ml/model-bundle';
import type { Task } from '../../../src/Dps.Domain/ml/task-decision';
import { evaluationReport } from '../../../src/Dps.Domain/registry/evaluation-report';

/** Seeded rows of two numbers and a colour, with a binary, three-class and numeric target. */
function data(rows: number) {
  let s = 11;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const a = new Float64Array(rows), b = new Float64Array(rows), colour = new Int32Array(rows);
  const binary = new Float64Array(rows), classes = new Float64Array(rows), value = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    a[i] = next() * 4 - 2;
    b[i] = next() * 4 - 2;
    colour[i] = Math.floor(next() * 3);
    binary[i] = next() < 1 / (1 + Math.exp(-(2 * a[i] - b[i]))) ? 1 : 0;
    classes[i] = a[i] > 0.5 ? 0 : colour[i] === 2 ? 1 : 2;
    value[i] = a[i] * a[i] + b[i] + colour[i] + next() * 0.1;
  }
  const matrix: FeatureMatrix = { rows, columns: [{ name: 'a', kind: 'numeric', values: a }, { name: 'b', kind: 'numeric', values: b }, { name: 'colour', kind: 'categorical', values: colour, categories: ['red', 'green', 'blue'] }] };
  return { matrix, labels: { binary, multiclass: classes, regression: value } as Record<Task, Float64Array> };
}

function pipelineFor(task: Task): FeaturePipeline {
  return {
    format: 'dps-feature-pipeline/1', task, excluded: [],
    label: { column: 'y', ...(task === 'binary' ? { positiveClass: 'yes' } : {}), ...(task === 'multiclass' ? { classes: ['p', 'q', 'r'] } : {}) },
    features: [{ name: 'a', kind: 'numeric', source: 'number' }, { name: 'b', kind: 'numeric', source: 'number' }, { name: 'colour', kind: 'categorical', categories: ['red', 'green', 'blue'] }],
  };
}

const { matrix, labels } = data(1200);

function gbdtBundle(task: Task, threshold = 0.5): ModelBundle {
  const trained = trainGbdt(matrix, labels[task], { objective: task, numRounds: 30, numLeaves: 8 }, 1);
  if (!trained.ok) throw new Error(trained.error);
  return { pipeline: pipelineFor(task), model: { kind: 'gbdt', model: trained.value.model }, calibration: { method: 'none' }, threshold };
}

describe('evaluation report', () => {
  it('binary: metrics as served at the threshold, the positive class curve, non-empty reliability bins and the confusion that adds up', () => {
    const bundle = gbdtBundle('binary', 0.4);
    const report = evaluationReport(bundle, matrix, labels.binary, { explainRows: 300 });
    if (!report.ok) throw new Error(report.error);
    const { value } = report;
    expect(value.curves?.map((c) => c.label)).toEqual(['yes']);
    expect(value.curves?.[0].auc).toBeCloseTo(value.metrics.auc, 12);
    expect(value.reliability?.before.every((b) => b.count > 0 && Number.isFinite(b.observedRate))).toBe(true);
    const confusion = value.confusion as number[][];
    expect(confusion.flat().reduce((x, y) => x + y, 0)).toBe(1200);
    expect((confusion[1][1] + confusion[0][0]) / 1200).toBeCloseTo(value.metrics.accuracy, 12);
    expect(JSON.stringify(value)).not.toMatch(/null|NaN/);
  });

  it('multiclass: one curve per class and per-class metrics named by class; explanations cover every feature', () => {
    const report = evaluationReport(gbdtBundle('multiclass'), matrix, labels.multiclass, { explainRows: 200 });
    if (!report.ok) throw new Error(report.error);
    expect(report.value.curves?.map((c) => c.label)).toEqual(['p', 'q', 'r']);
    expect(report.value.perClass?.map((c) => c.label)).toEqual(['p', 'q', 'r']);
    expect(report.value.importance.map((f) => f.feature).sort()).toEqual(['a', 'b', 'colour']);
    expect(report.value.importance.every((f) => f.gain !== undefined && f.meanAbsContribution >= 0)).toBe(true);
    // The label follows a and colour only: b contributes least.
    expect(report.value.importance[2].feature).toBe('b');
  });

  it('regression: a thinned sample of predicted/actual pairs; a linear model has no gain', () => {
    const linear = trainLinear(matrix, labels.regression, { objective: 'regression' });
    if (!linear.ok) throw new Error(linear.error);
    const bundle: ModelBundle = { pipeline: pipelineFor('regression'), model: { kind: 'linear', model: linear.value }, calibration: { method: 'none' }, threshold: 0.5 };
    const report = evaluationReport(bundle, matrix, labels.regression, { points: 100 });
    if (!report.ok) throw new Error(report.error);
    expect(report.value.residuals?.predicted.length).toBe(100);
    expect(report.value.residuals?.actual[1]).toBe(labels.regression[12]);
    expect(report.value.importance.every((f) => f.gain === undefined)).toBe(true);
    expect(report.value.metrics.r2).toBeGreaterThan(0.5);
  });

  it('refuses an empty evaluation set', () => {
    expect(evaluationReport(gbdtBundle('binary'), { rows: 0, columns: matrix.columns.map((c) => ({ ...c, values: c.values.slice(0, 0) })) as FeatureMatrix['columns'] }, new Float64Array(0))).toEqual({ ok: false, error: 'no labelled rows to evaluate' });
  });
});
