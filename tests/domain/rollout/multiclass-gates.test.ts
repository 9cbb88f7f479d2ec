import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_THRESHOLDS } from '../../../src/Dps.Domain/rollout/gate-thresholds';
import { Observation, classIndex, countObservations, multiclassEdges, onlineMetric, predictionsAgree } from '../../../src/Dps.Domain/rollout/rollout-counters';
import { evaluateGates } from '../../../src/Dps.Domain/rollout/rollout-gates';

const classes = ['bronze', 'gold', 'silver'];
const spec = { task: 'multiclass' as const, threshold: 0, predictionEdges: multiclassEdges(classes.length) };

/** `n` served rows predicting classes in the given shares, with labels right on `correct` of them and mirrored agreement on `agreed`. */
function version(shares: number[], n: number, correct: number, agreed = n): ReturnType<typeof countObservations> {
  const rows: Observation[] = [];
  let cls = 0;
  let left = shares[0] * n;
  for (let i = 0; i < n; i++) {
    while (left <= 0) left = shares[++cls] * n;
    left--;
    rows.push({ kind: 'served', latencyMs: 1, score: cls });
    rows.push({ kind: 'outcome', score: cls, label: i < correct ? cls : (cls + 1) % classes.length });
    rows.push({ kind: 'agreement', agreed: i < agreed });
  }
  return countObservations(rows, spec);
}

describe('multiclass rollout counters and gates', () => {
  it('bins predictions by class (an unknown class in the last bin), agrees on the same class, and measures accuracy', () => {
    expect(spec.predictionEdges).toEqual([0, 1, 2, 3, 4]);
    expect([classIndex(classes, 'silver'), classIndex(classes, 'platinum')]).toEqual([2, 3]);
    const c = version([0.5, 0.3, 0.2], 100, 80);
    expect(c.predictions).toEqual([50, 30, 20, 0]);
    expect(onlineMetric(c, 'multiclass')).toEqual({ name: 'accuracy', value: 0.8, labelled: 100 });
    expect([predictionsAgree(spec, 1, 1), predictionsAgree(spec, 1, 2)]).toEqual([true, false]);
  });

  it('holds a challenger whose class shares shift, and rolls back one whose online accuracy drops', () => {
    const thresholds = { ...DEFAULT_GATE_THRESHOLDS, minLabels: 50 };
    const champion = version([0.5, 0.3, 0.2], 200, 160);
    const same = evaluateGates('multiclass', champion, version([0.5, 0.3, 0.2], 200, 158), thresholds, 100);
    expect(same.hardFailures).toEqual([]);
    expect(same.softFailures).toEqual([]);
    expect(same.gates.find((g) => g.name === 'onlineAccuracy')).toMatchObject({ passed: true });
    const shifted = evaluateGates('multiclass', champion, version([0.1, 0.2, 0.7], 200, 160, 120), { ...thresholds, minLabels: 1000 }, 100);
    expect(shifted.softFailures.map((g) => g.name)).toEqual(['predictionShift', 'agreement']);
    expect(shifted.onlineJudged).toBe(false);
    const worse = evaluateGates('multiclass', champion, version([0.5, 0.3, 0.2], 200, 100), thresholds, 100);
    expect(worse.hardFailures.map((g) => [g.name, g.value])).toEqual([['onlineAccuracy', 0.5 - 0.8]]);
  });
});
