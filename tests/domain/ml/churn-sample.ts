import { outputColumns } from '../../../src/Dps.Domain/data/accepted-row';
import type { TypedValue } from '../../../src/Dps.Domain/data/contract-types';
import { generateSample } from '../../../src/Dps.Domain/data/sample-generator';
import { LabelledMatrix } from '../../../src/Dps.Domain/ml/feature-matrix';
import { FeaturePipeline, fitFeaturePipeline, labelledData } from '../../../src/Dps.Domain/ml/feature-pipeline';
import { createRandom } from '../../../src/Dps.Domain/ml/seeded-random';

/** Typed rows of the bundled churn sample (`dps sample`), parsed by the contract's column types. */
export function churnRows(rows: number, seed: number): Record<string, TypedValue>[] {
  const sample = generateSample({ rows, seed, drift: 0 });
  if (!sample.ok) throw new Error(sample.error);
  const { header, contract } = sample.value;
  const types = header.map((name) => contract.columns.find((c) => c.name === name)?.type);
  const out: Record<string, TypedValue>[] = [];
  for (const fields of sample.value.rows()) {
    const row: Record<string, TypedValue> = {};
    fields.forEach((text, i) => {
      const type = types[i];
      if (text === '' || text === 'NA') row[header[i]] = null;
      else if (type === 'integer' || type === 'number') row[header[i]] = Number(text);
      else if (type === 'boolean') row[header[i]] = text === 'true';
      else row[header[i]] = text;
    });
    out.push(row);
  }
  return out;
}

/**
 * Replaces the sample's (linear-logit) label with a non-linear rule on the same columns: many support calls
 * matter only for short tenure, the basic plan only without autopay, and age at both ends.
 */
export function nonLinearChurn(rows: Record<string, TypedValue>[], seed: number): Record<string, TypedValue>[] {
  const random = createRandom(seed);
  return rows.map((row) => {
    const calls = Number(row.support_calls);
    const tenure = Number(row.tenure_months);
    const age = row.age === null ? 42 : Number(row.age);
    const logit =
      -1.6 + 3 * (calls >= 3 && tenure < 24 ? 1 : 0) + 2 * (row.plan === 'basic' && row.autopay === false ? 1 : 0) + 1.5 * (age < 28 || age > 65 ? 1 : 0);
    return { ...row, churned: random.next() < 1 / (1 + Math.exp(-logit)) ? 'yes' : 'no' };
  });
}

/** The churn sample as a labelled matrix through the feature pipeline fitted on `fitRows`. */
export function churnMatrix(fitRows: Record<string, TypedValue>[], rows: Record<string, TypedValue>[] = fitRows): { pipeline: FeaturePipeline; data: LabelledMatrix } {
  const sample = generateSample({ rows: 0, seed: 0, drift: 0 });
  if (!sample.ok) throw new Error(sample.error);
  const contract = sample.value.contract;
  const pipeline = fitFeaturePipeline(contract, outputColumns(contract), fitRows);
  if (!pipeline.ok) throw new Error(pipeline.error);
  const data = labelledData(pipeline.value, rows);
  return { pipeline: pipeline.value, data: { matrix: data.matrix, labels: data.labels } };
}
