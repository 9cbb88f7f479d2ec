import { describe, expect, it } from 'vitest';
import { CandidateScore, selectCandidate, selectionRuleFor } from '../../../src/Dps.Domain/ml/candidate-selection';
import { scoreCandidate } from '../../../src/Dps.Domain/ml/candidate-scoring';
import { trainValidationSplit } from '../../../src/Dps.Domain/ml/data-split';
import { trainGbdt } from '../../../src/Dps.Domain/ml/gbdt-trainer';
import { generateTrials } from '../../../src/Dps.Domain/ml/hyperparameter-trials';
import { trainLinear } from '../../../src/Dps.Domain/ml/linear-trainer';
import { gbdtDefaultsFor } from '../../../src/Dps.Domain/ml/small-data-defaults';
import { TabularModel } from '../../../src/Dps.Domain/ml/tabular-model';
import { churnMatrix, churnRows, nonLinearChurn } from './churn-sample';

const score = (id: string, kind: 'gbdt' | 'linear', metrics: Record<string, number>): CandidateScore => ({ id, kind, metrics });

describe('candidate selection', () => {
  it('lets the baseline win, with the margin over the best GBDT', () => {
    const picked = selectCandidate([score('trial-0', 'gbdt', { auc: 0.841 }), score('trial-1', 'gbdt', { auc: 0.85 }), score('linear-baseline', 'linear', { auc: 0.865 })], selectionRuleFor('binary'));
    if (!picked.ok) throw new Error(picked.error);
    expect(picked.value.winner.id).toBe('linear-baseline');
    expect(picked.value.bestOtherKind?.id).toBe('trial-1');
    expect(picked.value.margin).toBeCloseTo(0.015, 12);
    expect(picked.value.ranking.map((c) => c.id)).toEqual(['linear-baseline', 'trial-1', 'trial-0']);
    expect(picked.value.summary).toBe('linear-baseline (linear) won on validation auc 0.8650 vs 0.8500 (trial-1, gbdt), margin 0.0150');
  });

  it('compares lower-is-better metrics the right way, skips non-finite ones and breaks ties for the baseline', () => {
    const rmse = selectCandidate([score('a', 'gbdt', { rmse: 1.2 }), score('b', 'gbdt', { rmse: NaN }), score('lin', 'linear', { rmse: 1.5 })], selectionRuleFor('regression'));
    expect(rmse.ok && [rmse.value.winner.id, rmse.value.margin, rmse.value.ranking.length]).toEqual(['a', 1.5 - 1.2, 2]);
    const tie = selectCandidate([score('a', 'gbdt', { logloss: 0.4 }), score('lin', 'linear', { logloss: 0.4 })], selectionRuleFor('multiclass'));
    expect(tie.ok && tie.value.winner.id).toBe('lin');
    expect(selectCandidate([score('a', 'gbdt', { auc: NaN })], selectionRuleFor('binary')).ok).toBe(false);
  });
});

/** Trials (with the small-data defaults) and the baseline trained on 80%, scored on the other 20%, then selected. */
function compete(rows: ReturnType<typeof churnRows>, testRows: ReturnType<typeof churnRows>) {
  const { data } = churnMatrix(rows);
  const test = churnMatrix(rows, testRows).data;
  const split = trainValidationSplit(data, 0.2, 11, true);
  if (!split.ok) throw new Error(split.error);
  const { train, validation } = split.value;
  const candidates: { id: string; model: TabularModel }[] = generateTrials(2, 3, train.labels.length).map((spec) => {
    const trained = trainGbdt(train.matrix, train.labels, { ...gbdtDefaultsFor('binary', train.labels.length), ...spec.params }, 5);
    if (!trained.ok) throw new Error(trained.error);
    return { id: `trial-${spec.trial}`, model: { kind: 'gbdt', model: trained.value.model } };
  });
  const linear = trainLinear(train.matrix, train.labels, { objective: 'binary' });
  if (!linear.ok) throw new Error(linear.error);
  candidates.push({ id: 'linear-baseline', model: { kind: 'linear', model: linear.value } });
  const metric = (model: TabularModel, set: typeof test): number => {
    const m = scoreCandidate(model, set);
    if (!m.ok) throw new Error(m.error);
    return m.value.auc;
  };
  const scores = candidates.map((c) => score(c.id, c.model.kind, { auc: metric(c.model, validation) }));
  const picked = selectCandidate(scores, selectionRuleFor('binary'));
  if (!picked.ok) throw new Error(picked.error);
  const testAuc = Object.fromEntries(candidates.map((c) => [c.id, metric(c.model, test)]));
  return { picked: picked.value, testAuc };
}

describe('candidates on the bundled churn sample', () => {
  for (const rows of [2000, 5000]) {
    it(`at ${rows} rows the GBDT beats the baseline when the signal is non-linear`, () => {
      const { picked, testAuc } = compete(nonLinearChurn(churnRows(rows, 7), 1), nonLinearChurn(churnRows(10000, 99), 2));
      expect(picked.winner.kind).toBe('gbdt');
      expect(testAuc[picked.winner.id]).toBeGreaterThan(testAuc['linear-baseline'] + 0.02);
    });

    it(`at ${rows} rows, with the sample's own linear logit, the winner is within 0.01 test AUC of the better family`, () => {
      const { picked, testAuc } = compete(churnRows(rows, 7), churnRows(10000, 99));
      const best = Math.max(...Object.values(testAuc));
      expect(testAuc[picked.winner.id]).toBeGreaterThan(best - 0.01);
      // The small-data defaults keep the GBDT close to the (correctly specified) logistic baseline.
      expect(testAuc['trial-0']).toBeGreaterThan(testAuc['linear-baseline'] - 0.015);
    });
  }
});
