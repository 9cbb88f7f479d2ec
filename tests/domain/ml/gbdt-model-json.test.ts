import { describe, expect, it } from 'vitest';
import { NODE_FEATURE, NODE_FLAGS, NODE_LEFT } from '../../../src/Dps.Domain/ml/gbdt-model';
import { gbdtModelFromJson, gbdtModelToJson } from '../../../src/Dps.Domain/ml/gbdt-model-json';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { predictMatrix } from '../../../src/Dps.Domain/ml/tree-predictor';
import { binaryTask } from './synthetic-data';

describe('GBDT model JSON', () => {
  const data = binaryTask(1500, 21);
  const trained = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 40, earlyStoppingRounds: 0 }, 3);
  if (!trained.ok) throw new Error(trained.error);
  const model = trained.value.model;
  const text = JSON.stringify(gbdtModelToJson(model));

  it('round-trips through JSON text and predicts identically', () => {
    const restored = gbdtModelFromJson(JSON.parse(text));
    if (!restored.ok) throw new Error(restored.error);
    const before = predictMatrix(model, data.matrix);
    const after = predictMatrix(restored.value, data.matrix);
    expect(after.ok && before.ok && Buffer.compare(Buffer.from(after.value.buffer), Buffer.from(before.value.buffer))).toBe(0);
    expect(JSON.stringify(gbdtModelToJson(restored.value))).toBe(text);
  });

  it('still loads a dps-gbdt/1 document (one init score, no covers) and predicts the same', () => {
    const { initScores, leafCover, ...rest } = JSON.parse(text);
    const v1 = { ...rest, format: 'dps-gbdt/1', initScore: initScores[0] };
    expect(leafCover.length).toBe(model.leafValue.length);
    const restored = gbdtModelFromJson(v1);
    if (!restored.ok) throw new Error(restored.error);
    expect(restored.value.leafCover.length).toBe(0);
    const before = predictMatrix(model, data.matrix);
    const after = predictMatrix(restored.value, data.matrix);
    expect(after.ok && before.ok && Array.from(after.value)).toEqual(before.ok && Array.from(before.value));
  });

  it('holds only plain arrays of numbers, with the training binning', () => {
    const json = JSON.parse(text);
    expect(Array.isArray(json.leafValue) && Array.isArray(json.nodes)).toBe(true);
    expect(json.binning.map((b: { kind: string }) => b.kind)).toEqual(['numeric', 'numeric', 'categorical', 'numeric']);
  });

  it('rejects documents that are not valid models', () => {
    const corrupt = (edit: (json: Record<string, unknown>) => void): boolean => {
      const json = JSON.parse(text);
      edit(json);
      return gbdtModelFromJson(json).ok;
    };
    expect(gbdtModelFromJson(null).ok).toBe(false);
    expect(corrupt((json) => (json.format = 'other'))).toBe(false);
    const node0 = (slot: number, value: number) => (json: Record<string, unknown>) => ((json.nodes as number[])[slot] = value);
    expect(corrupt(node0(NODE_LEFT, 10_000_000))).toBe(false);
    expect(corrupt(node0(NODE_LEFT + 1, 0))).toBe(false);
    expect(corrupt(node0(NODE_FEATURE, 99))).toBe(false);
    expect(corrupt(node0(NODE_FLAGS, 7))).toBe(false);
    expect(corrupt((json) => (json.nodes as number[]).pop())).toBe(false);
    expect(corrupt((json) => (json.leafValue = 'x'))).toBe(false);
    expect(corrupt(() => undefined)).toBe(true);
  });
});
