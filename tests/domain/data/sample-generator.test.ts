import { describe, expect, it } from 'vitest';
import { startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';
import { formatCsvRow } from '../../../src/Dps.Domain/data/csv-writer';
import { SampleDataset, generateSample } from '../../../src/Dps.Domain/data/sample-generator';

function sample(rows: number, seed: number, drift: number): SampleDataset {
  const result = generateSample({ rows, seed, drift });
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const column = (rows: string[][], header: string[], name: string) => rows.map((r) => r[header.indexOf(name)]);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Rank-based AUC (Mann-Whitney). */
function auc(scores: number[], labels: boolean[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  order.forEach(([, y], i) => {
    if (y) {
      rankSum += i + 1;
      positives++;
    }
  });
  const negatives = order.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

describe('synthetic sample generator', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    expect([...sample(50, 7, 0).rows()]).toEqual([...sample(50, 7, 0).rows()]);
    expect([...sample(50, 7, 0).rows()]).not.toEqual([...sample(50, 8, 0).rows()]);
  });

  it('rejects bad options', () => {
    expect(generateSample({ rows: -1, seed: 1, drift: 0 }).ok).toBe(false);
    expect(generateSample({ rows: 1, seed: 1, drift: 1.5 })).toEqual({ ok: false, error: 'drift must be between 0 and 1 (got 1.5)' });
  });

  it('satisfies its own contract, with missing values, a unique key and PII', () => {
    const data = sample(3000, 11, 0.5);
    expect(parseContract(JSON.parse(JSON.stringify(data.contract))).ok).toBe(true);
    const started = startBatchValidation({ contract: data.contract, piiSalt: 's' });
    if (!started.ok) throw new Error(started.error);
    const text = [formatCsvRow(data.header), ...[...data.rows()].map((r) => formatCsvRow(r))].join('\n') + '\n';
    started.value.push(new TextEncoder().encode(text));
    const { report } = started.value.end();
    expect(report.status).toBe('accepted');
    expect(report.rows).toEqual({ read: 3000, accepted: 3000, quarantined: 0, duplicates: 0 });
    const rows = [...data.rows()];
    expect(column(rows, data.header, 'age').filter((v) => v === 'NA').length).toBeGreaterThan(30);
    expect(column(rows, data.header, 'income').filter((v) => v === '').length).toBeGreaterThan(60);
  });

  it('shifts feature distributions with drift but not the label rule', () => {
    const calm = [...sample(4000, 3, 0).rows()];
    const shifted = [...sample(4000, 3, 1).rows()];
    const header = sample(0, 0, 0).header;
    const ages = (rows: string[][]) => mean(column(rows, header, 'age').filter((v) => v !== 'NA').map(Number));
    const basic = (rows: string[][]) => column(rows, header, 'plan').filter((v) => v === 'basic').length / rows.length;
    expect(ages(shifted) - ages(calm)).toBeGreaterThan(5);
    expect(basic(calm) - basic(shifted)).toBeGreaterThan(0.2);
  });

  it('has a label a model learns from the features to AUC >= 0.85 on held-out rows', () => {
    const data = sample(4000, 5, 0);
    const rows = [...data.rows()];
    const h = data.header;
    const get = (r: string[], name: string) => r[h.indexOf(name)];
    const features = rows.map((r) => [
      Number(get(r, 'support_calls')),
      Number(get(r, 'tenure_months')) / 12,
      get(r, 'plan') === 'basic' ? 1 : 0,
      get(r, 'plan') === 'premium' ? 1 : 0,
      get(r, 'autopay') === 'true' ? 1 : 0,
      get(r, 'age') === 'NA' ? 4.2 : Number(get(r, 'age')) / 10,
    ]);
    const labels = rows.map((r) => (get(r, 'churned') === 'yes' ? 1 : 0));
    // Plain logistic regression by gradient descent: a weak learner, so a GBDT does at least as well.
    const w = new Array(features[0].length + 1).fill(0);
    const score = (x: number[]) => x.reduce((z, v, j) => z + v * w[j + 1], w[0]);
    for (let epoch = 0; epoch < 300; epoch++) {
      const grad = new Array(w.length).fill(0);
      for (let i = 0; i < 3000; i++) {
        const e = 1 / (1 + Math.exp(-score(features[i]))) - labels[i];
        grad[0] += e;
        features[i].forEach((v, j) => (grad[j + 1] += e * v));
      }
      grad.forEach((g, j) => (w[j] -= (0.5 * g) / 3000));
    }
    const held = features.slice(3000);
    expect(auc(held.map(score), labels.slice(3000).map((y) => y === 1))).toBeGreaterThan(0.85);
  });
});
