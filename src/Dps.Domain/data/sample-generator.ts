import { Result, ok, err } from '../result';
import type { DataContract } from './contract-types';
import { createRandom } from '../ml/seeded-random';
import { Uniform, normal, poisson, weightedIndex } from './random-draws';

/** Size, seed and covariate shift (0 none .. 1 strong) of a synthetic sample. */
export interface SampleOptions {
  rows: number;
  seed: number;
  drift: number;
  dataset?: string;
}

/** A synthetic churn dataset: CSV header, its contract, and rows generated lazily (same seed, same rows). */
export interface SampleDataset {
  header: string[];
  contract: DataContract;
  rows(): Generator<string[]>;
}

const PLANS = ['basic', 'standard', 'premium'];
const REGIONS = ['north', 'south', 'east', 'west'];
const NAMES = ['ana', 'ben', 'chen', 'dara', 'eli', 'fatima', 'gus', 'hana', 'ivan', 'jo'];
const DOMAINS = ['example.com', 'mail.test', 'post.example'];
const FIRST_DAY = Date.UTC(2018, 0, 1);
const DAY_MS = 86_400_000;

const HEADER = ['customer_id', 'email', 'signup_date', 'age', 'income', 'plan', 'region', 'autopay', 'support_calls', 'tenure_months', 'churned'];

/** The contract the generator's output satisfies. */
function sampleContract(dataset: string): DataContract {
  return {
    contractVersion: 1,
    dataset,
    description: 'Synthetic customer churn sample (dps sample): label churned from a known logistic rule.',
    format: { type: 'csv', delimiter: ',', header: true, quote: '"', encoding: 'utf-8' },
    missingValues: ['', 'NA'],
    columns: [
      { name: 'customer_id', type: 'integer', nullable: false, required: true, trim: false, min: 1 },
      { name: 'email', type: 'string', nullable: false, required: true, trim: false, pii: 'hash', pattern: '[^@\\s]+@[^@\\s]+' },
      { name: 'signup_date', type: 'date', nullable: false, required: true, trim: false, min: '2018-01-01', max: '2030-12-31' },
      { name: 'age', type: 'integer', nullable: true, required: true, trim: false, min: 18, max: 100, mostly: 0.9 },
      { name: 'income', type: 'number', nullable: true, required: true, trim: false, min: 0, mostly: 0.9 },
      { name: 'plan', type: 'category', nullable: false, required: true, trim: true, values: PLANS },
      { name: 'region', type: 'category', nullable: false, required: true, trim: true, values: REGIONS },
      { name: 'autopay', type: 'boolean', nullable: false, required: true, trim: false },
      { name: 'support_calls', type: 'integer', nullable: false, required: true, trim: false, min: 0 },
      { name: 'tenure_months', type: 'integer', nullable: false, required: true, trim: false, min: 1, max: 72 },
      { name: 'churned', type: 'category', nullable: false, required: true, trim: false, values: ['no', 'yes'] },
    ],
    primaryKey: ['customer_id'],
    label: { column: 'churned', task: 'binary', positiveClass: 'yes' },
    rowCount: { min: 1 },
    maxQuarantineRate: 0.01,
  };
}

/**
 * The churn rule: more support calls, shorter tenure, the basic plan, no autopay and youth raise the odds.
 * Covariate shift never changes this rule, only the feature distributions.
 */
export function churnLogit(f: { supportCalls: number; tenure: number; plan: string; autopay: boolean; age: number }): number {
  const plan = f.plan === 'basic' ? 0.8 : f.plan === 'premium' ? -0.8 : 0;
  return -0.9 + 1.2 * (f.supportCalls - 1.5) - 0.08 * (f.tenure - 36) + plan - (f.autopay ? 1 : 0) - 0.03 * (f.age - 42);
}

function* generateRows(rows: number, seed: number, drift: number): Generator<string[]> {
  const u: Uniform = createRandom(seed).next;
  for (let i = 0; i < rows; i++) {
    const id = 100_000 + i;
    const age = Math.min(90, Math.max(18, Math.round(42 + 8 * drift + 12 * normal(u))));
    const income = Math.exp(10.8 + 0.3 * drift + 0.5 * normal(u));
    const plan = PLANS[weightedIndex(u, [0.5 - 0.3 * drift, 0.35, 0.15 + 0.3 * drift])];
    const region = REGIONS[weightedIndex(u, [1, 1, 1, 1 + 3 * drift])];
    const autopay = u() < 0.6 - 0.3 * drift;
    const supportCalls = poisson(u, 1.5 + 1.5 * drift);
    // Drift skews tenure towards new customers.
    const tenure = 1 + Math.floor(71 * Math.pow(u(), 1 + drift));
    const signup = new Date(FIRST_DAY + Math.floor(u() * (2000 + 365 * drift)) * DAY_MS + 365 * drift * DAY_MS).toISOString().slice(0, 10);
    const p = 1 / (1 + Math.exp(-churnLogit({ supportCalls, tenure, plan, autopay, age })));
    const churned = u() < p ? 'yes' : 'no';
    const email = `${NAMES[Math.floor(u() * NAMES.length)]}.${id}@${DOMAINS[Math.floor(u() * DOMAINS.length)]}`;
    // Missing completely at random, with two spellings of "missing".
    const ageText = u() < 0.03 ? 'NA' : String(age);
    const incomeText = u() < 0.05 ? '' : income.toFixed(2);
    yield [String(id), email, signup, ageText, incomeText, plan, region, String(autopay), String(supportCalls), String(tenure), churned];
  }
}

/** Builds a seeded synthetic dataset with a learnable label, mixed types, missing values, PII, a key and covariate shift. */
export function generateSample(options: SampleOptions): Result<SampleDataset, string> {
  const { rows, seed, drift } = options;
  if (!Number.isSafeInteger(rows) || rows < 0) return err(`rows must be a non-negative integer (got ${rows})`);
  if (!Number.isFinite(seed)) return err(`seed must be a number (got ${seed})`);
  if (!(drift >= 0 && drift <= 1)) return err(`drift must be between 0 and 1 (got ${drift})`);
  return ok({ header: [...HEADER], contract: sampleContract(options.dataset ?? 'churn-sample'), rows: () => generateRows(rows, seed, drift) });
}
