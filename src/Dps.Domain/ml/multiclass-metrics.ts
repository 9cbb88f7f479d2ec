import { Result, err, ok } from '../result';

/** Precision, recall and F1 of one class against the rest (zero_division = 0, as scikit-learn). */
export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Rows whose true class is this one. */
  support: number;
}

/** Everything reported for a multiclass classifier. */
export interface MulticlassEvaluation {
  rows: number;
  accuracy: number;
  /** Unweighted mean of the per-class F1 over classes that occur in labels or predictions. */
  macroF1: number;
  logLoss: number;
  perClass: ClassMetrics[];
  /** confusion[actual][predicted] row counts. */
  confusion: number[][];
}

/**
 * Evaluates row-major class probabilities (row r's k probabilities at r * k ..) against class labels 0..k-1;
 * the predicted class is the most probable (the first on ties). Log-loss clips at 1e-15 as scikit-learn does.
 */
export function evaluateMulticlass(labels: Float64Array, probabilities: Float64Array, k: number): Result<MulticlassEvaluation> {
  if (labels.length === 0) return err('no rows to evaluate');
  if (probabilities.length !== labels.length * k) return err(`${probabilities.length} probabilities for ${labels.length} rows of ${k} classes`);
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let loss = 0;
  for (let r = 0; r < labels.length; r++) {
    const actual = labels[r];
    if (!Number.isInteger(actual) || actual < 0 || actual >= k) return err(`row ${r}: label ${actual} is not a class 0..${k - 1}`);
    let predicted = 0;
    for (let c = 0; c < k; c++) {
      const p = probabilities[r * k + c];
      if (!(p >= 0 && p <= 1)) return err(`row ${r}: probability ${p} of class ${c} is not in [0, 1]`);
      if (p > probabilities[r * k + predicted]) predicted = c;
    }
    confusion[actual][predicted]++;
    loss -= Math.log(Math.min(Math.max(probabilities[r * k + actual], 1e-15), 1 - 1e-15));
  }
  const ratio = (num: number, den: number): number => (den === 0 ? 0 : num / den);
  const perClass = confusion.map((row, c) => {
    const truePositives = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, other) => sum + other[c], 0);
    const precision = ratio(truePositives, predicted);
    const recall = ratio(truePositives, support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support, predicted };
  });
  const present = perClass.filter((m) => m.support > 0 || m.predicted > 0);
  const correct = confusion.reduce((sum, row, c) => sum + row[c], 0);
  return ok({
    rows: labels.length,
    accuracy: correct / labels.length,
    macroF1: present.reduce((sum, m) => sum + m.f1, 0) / present.length,
    logLoss: loss / labels.length,
    perClass: perClass.map(({ precision, recall, f1, support }) => ({ precision, recall, f1, support })),
    confusion,
  });
}
