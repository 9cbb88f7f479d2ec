import { describe, expect, it } from 'vitest';
import { gbdtModelFromJson, gbdtModelToJson } from '../../../src/Dps.Domain/ml/gbdt-model-json';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { predictMatrix, rawScoreTable, softmaxRows } from '../../../src/Dps.Domain/ml/tree-predictor';
import { multiclassTask } from './synthetic-data';

describe('GBDT softmax multiclass', () => {
  const train = multiclassTask(3000, 1);
  const test = multiclassTask(1500, 2);
  const trained = trainGbdt(train.matrix, train.labels, { objective: 'multiclass', learningRate: 0.2, numRounds: 60, earlyStoppingRounds: 0 }, 5);
  if (!trained.ok) throw new Error(trained.error);
  const { model } = trained.value;

  it('grows one tree per class per round and learns the classes', () => {
    expect(model.numOutputs).toBe(4);
    expect(model.treeRoots.length).toBe(4 * trained.value.bestIteration);
    const predicted = predictMatrix(model, test.matrix);
    if (!predicted.ok) throw new Error(predicted.error);
    const correct = predicted.value.reduce((sum, c, r) => sum + (c === test.labels[r] ? 1 : 0), 0);
    // 10% of labels are random (a quarter of those still right), so the best possible accuracy is about 0.925.
    expect(correct / test.matrix.rows).toBeGreaterThan(0.88);
  });

  it('gives class probabilities that sum to one and a falling training loss', () => {
    const raw = rawScoreTable(model, test.matrix);
    if (!raw.ok) throw new Error(raw.error);
    const probabilities = softmaxRows(raw.value.values, 4);
    for (let r = 0; r < 20; r++) expect(probabilities.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const curve = trained.value.curve.train;
    expect(curve[curve.length - 1]).toBeLessThan(curve[0]);
  });

  it('round-trips through JSON with its init scores', () => {
    const restored = gbdtModelFromJson(JSON.parse(JSON.stringify(gbdtModelToJson(model))));
    if (!restored.ok) throw new Error(restored.error);
    expect(Array.from(restored.value.initScores)).toEqual(Array.from(model.initScores));
    const a = rawScoreTable(model, test.matrix);
    const b = rawScoreTable(restored.value, test.matrix);
    expect(a.ok && b.ok && Array.from(a.value.values)).toEqual(b.ok && Array.from(b.value.values));
  });

  it('stops early on a validation set and refuses labels outside the classes', () => {
    const es = trainGbdt(train.matrix, train.labels, { objective: 'multiclass', learningRate: 0.3, numRounds: 400, earlyStoppingRounds: 10 }, 5);
    expect(es.ok && es.value.stopReason).toBe('early-stopping');
    expect(trainGbdt(train.matrix, train.labels, { objective: 'multiclass', numClasses: 3 }, 5).ok).toBe(false);
    expect(trainGbdt(train.matrix, train.labels.map((y) => y + 0.5), { objective: 'multiclass' }, 5).ok).toBe(false);
  });
});
