import { readFileSync } from 'node:fs';
import path from 'node:path';

/** scipy's outputs on fixed inputs, written once by fixtures/make-fixtures.py. */
export interface ScipyFixtures {
  ks: { name: string; a: number[]; b: number[]; method: 'auto' | 'asymp'; statistic: number; pValue: number }[];
  ksFormula: { name: string; a: FormulaArgs; b: FormulaArgs; statistic: number; pValue: number }[];
  kstwo: { n: number; x: number; sf: number }[];
  chisquare: { observed: number[]; expected: number[]; statistic: number; pValue: number }[];
  wasserstein: { a: number[]; b: number[]; distance: number }[];
  jensenshannon: { p: number[]; q: number[]; distance: number }[];
  columns: { name: string; kind: 'numeric' | 'categorical'; reference: (number | string)[]; current: (number | string)[]; method: string; score: number }[];
}

type FormulaArgs = [n: number, mult: number, mod: number, scale: number, shift: number];

/** The same formula as make-fixtures.py's formula_sample. */
export function formulaSample([n, mult, mod, scale, shift]: FormulaArgs): number[] {
  return Array.from({ length: n }, (_, i) => ((i * mult) % mod) / scale + shift);
}

export const fixtures: ScipyFixtures = JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'scipy-fixtures.json'), 'utf8'));

/** Ascending copy. */
export const sorted = (values: number[]) => Float64Array.from(values).sort();
