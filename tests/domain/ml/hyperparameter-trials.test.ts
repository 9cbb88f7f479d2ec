import { describe, expect, it } from 'vitest';
import { defaultGbdtParams } from '../../../src/Dps.Domain/ml/gbdt-params';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { generateTrials, pickBestTrial, trialParams } from '../../../src/Dps.Domain/ml/hyperparameter-trials';
import { binaryTask } from './synthetic-data';

describe('hyperparameter trials', () => {
  it('are deterministic for a seed, and each can be computed on its own', () => {
    const trials = generateTrials(8, 99);
    expect(generateTrials(8, 99)).toEqual(trials);
    expect(trialParams(99, 5)).toEqual(trials[5].params);
    expect(generateTrials(8, 100).slice(1)).not.toEqual(trials.slice(1));
    expect(trials.map((t) => t.trial)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('start from the defaults and stay inside the search space', () => {
    const trials = generateTrials(50, 3);
    const defaults = defaultGbdtParams('binary');
    expect(trials[0].params).toMatchObject({ learningRate: defaults.learningRate, numLeaves: defaults.numLeaves });
    for (const { params } of trials) {
      expect(params.learningRate).toBeGreaterThanOrEqual(0.05);
      expect(params.learningRate).toBeLessThanOrEqual(0.2);
      expect(params.numLeaves).toBeGreaterThanOrEqual(15);
      expect(params.numLeaves).toBeLessThanOrEqual(63);
      expect(Number.isInteger(params.numLeaves) && Number.isInteger(params.minDataInLeaf)).toBe(true);
      expect(params.minDataInLeaf).toBeGreaterThanOrEqual(10);
      expect(params.minDataInLeaf).toBeLessThanOrEqual(50);
      expect(params.lambdaL2).toBeGreaterThanOrEqual(0);
      expect(params.lambdaL2).toBeLessThanOrEqual(5);
      expect(params.featureFraction).toBeGreaterThanOrEqual(0.7);
      expect(params.featureFraction).toBeLessThanOrEqual(1);
    }
    expect(new Set(trials.map((t) => t.params.numLeaves)).size).toBeGreaterThan(10);
  });

  it('picks the lowest finite validation loss, ties to the lower trial', () => {
    const best = pickBestTrial([
      { trial: 0, validationLoss: 0.4 },
      { trial: 1, validationLoss: NaN },
      { trial: 3, validationLoss: 0.3 },
      { trial: 2, validationLoss: 0.3 },
    ]);
    expect(best.ok && best.value.trial).toBe(2);
    expect(pickBestTrial([]).ok).toBe(false);
    expect(pickBestTrial([{ trial: 0, validationLoss: NaN }]).ok).toBe(false);
  });

  it('run independently through trainGbdt and are compared on one validation split', () => {
    const data = binaryTask(1200, 8);
    const outcomes = generateTrials(3, 5).map(({ trial, params }) => {
      const result = trainGbdt(data.matrix, data.labels, { objective: 'binary', numRounds: 60, ...params }, 17);
      if (!result.ok) throw new Error(result.error);
      return { trial, validationLoss: result.value.validationLoss, validationRows: result.value.validationRows };
    });
    const best = pickBestTrial(outcomes);
    expect(best.ok && best.value.validationLoss).toBe(Math.min(...outcomes.map((o) => o.validationLoss)));
    expect(new Set(outcomes.map((o) => o.validationRows)).size).toBe(1);
  });
});
