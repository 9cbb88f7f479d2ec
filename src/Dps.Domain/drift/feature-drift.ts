import { binIndex } from '../data/quantile-bins';
import { chiSquare } from './chi-square';
import type { CategoricalFeatureReference, FeatureReference, NumericFeatureReference } from './drift-reference';
import type { DriftMethod, DriftThresholds } from './drift-thresholds';
import { jensenShannonDistance } from './jensen-shannon';
import { ksPValue } from './ks-test';
import { PsiLevel, psi, psiLevel } from './psi';
import type { CategoricalFeatureSketch, FeatureSketch, NumericFeatureSketch } from './window-sketch';

/**
 * How far a sketch-based numeric result can be from the exact one on the same rows: the KS statistic
 * by at most ksErrorBound, the normalised Wasserstein distance by at most wassersteinErrorBound
 * (both 0 when every value lies on an edge).
 */
export interface SketchAccuracy {
  ksStatistic: number;
  ksErrorBound: number;
  wasserstein: number;
  wassersteinErrorBound: number;
}

/** One feature's verdict in a window (the report's `features[]` entry, plus evidence). */
export interface FeatureDrift {
  name: string;
  method: DriftMethod;
  /** p-value for ks / chisquare, distance for wasserstein / jensenshannon; null without current values. */
  score: number | null;
  threshold: number;
  drift: boolean;
  psi: number | null;
  psiLevel: PsiLevel | null;
  kind: 'numeric' | 'categorical';
  referenceRows: number;
  rows: number;
  missing: number;
  /** The test statistic behind a p-value (KS D, chi-squared). */
  statistic?: number;
  /** Numeric features: KS statistic and normalised Wasserstein with their sketch error bounds. */
  accuracy?: SketchAccuracy;
  /** Why there is no verdict (e.g. no values in the window). */
  note?: string;
}

/** Evaluates one feature of a window against its reference with Evidently's default semantics. */
export function evaluateFeature(ref: FeatureReference, cur: FeatureSketch, thresholds: DriftThresholds): FeatureDrift {
  const small = ref.rows <= thresholds.testRowsLimit;
  if (ref.kind === 'numeric') {
    const numeric = cur as NumericFeatureSketch;
    const asCategories = fewDistinct(ref, numeric, thresholds.categoricalDistinct);
    const psiValue = psi(numericPsiCounts(ref, ref), numericPsiCounts(ref, numeric));
    if (asCategories) return categorical(ref.name, 'numeric', asCategories.ref, asCategories.cur, small, psiValue, thresholds);
    return numericVerdict(ref, numeric, small, psiValue, thresholds);
  }
  const c = cur as CategoricalFeatureSketch;
  const tables = categoryTables(ref, c);
  const psiValue = psi(categoryPsiCounts(ref, ref.counts, ref.other), categoryPsiCounts(ref, c.counts, c.other));
  return categorical(ref.name, 'categorical', { ...tables.ref, missing: ref.missing }, { ...tables.cur, missing: c.missing }, small, psiValue, thresholds);
}

interface Histogram {
  keys: string[];
  counts: number[];
  rows: number;
  missing: number;
}

type VerdictBase = Omit<FeatureDrift, 'score' | 'drift' | 'statistic' | 'accuracy' | 'note'>;

/** The fields every verdict has: the method and threshold after overrides, PSI, row counts. */
function base(name: string, kind: 'numeric' | 'categorical', method: DriftMethod, thresholds: DriftThresholds, psiValue: number | null, referenceRows: number, rows: number, missing: number): VerdictBase {
  const override = thresholds.features[name] ?? {};
  const threshold = override.threshold ?? defaultThreshold(override.method ?? method, thresholds);
  return { name, kind, method: override.method ?? method, threshold, psi: psiValue, psiLevel: psiValue === null ? null : psiLevel(psiValue, thresholds.psi), referenceRows, rows, missing };
}

function defaultThreshold(method: DriftMethod, t: DriftThresholds): number {
  if (method === 'wasserstein') return t.wasserstein;
  if (method === 'jensenshannon') return t.jensenShannon;
  return t.pValue;
}

/** Drift reads p < threshold for tests, distance >= threshold for distances (as Evidently does). */
function isDrift(method: DriftMethod, score: number, threshold: number): boolean {
  return method === 'ks' || method === 'chisquare' ? score < threshold : score >= threshold;
}

function noValues(b: VerdictBase): FeatureDrift {
  return { ...b, score: null, drift: false, note: b.referenceRows === 0 ? 'no values in the reference' : 'no values in the window' };
}

function numericVerdict(ref: NumericFeatureReference, cur: NumericFeatureSketch, small: boolean, psiValue: number | null, t: DriftThresholds): FeatureDrift {
  const b = base(ref.name, 'numeric', small ? 'ks' : 'wasserstein', t, psiValue, ref.rows, cur.rows, cur.missing);
  if (ref.rows === 0 || cur.rows === 0) return noValues(b);
  if (b.method === 'chisquare' || b.method === 'jensenshannon') {
    const tables = gridAsCategories(ref, cur);
    return categorical(ref.name, 'numeric', tables.ref, tables.cur, small, psiValue, { ...t, features: { ...t.features, [ref.name]: { ...t.features[ref.name], method: b.method } } });
  }
  const accuracy = gridComparison(ref, cur);
  if (b.method === 'ks') {
    const ks = ksPValue(accuracy.ksStatistic, ref.rows, cur.rows);
    return { ...b, score: ks.pValue, statistic: ks.statistic, drift: isDrift('ks', ks.pValue, b.threshold), accuracy };
  }
  return { ...b, score: accuracy.wasserstein, drift: isDrift('wasserstein', accuracy.wasserstein, b.threshold), accuracy };
}

function categorical(name: string, kind: 'numeric' | 'categorical', ref: Histogram, cur: Histogram, small: boolean, psiValue: number | null, t: DriftThresholds): FeatureDrift {
  const b = base(name, kind, small ? 'chisquare' : 'jensenshannon', t, psiValue, ref.rows, cur.rows, cur.missing);
  if (ref.rows === 0 || cur.rows === 0) return noValues(b);
  if (b.method === 'chisquare') {
    const scale = cur.rows / ref.rows;
    const result = chiSquare(cur.counts, ref.counts.map((c) => c * scale));
    return { ...b, score: result.pValue, statistic: result.statistic, drift: isDrift('chisquare', result.pValue, b.threshold) };
  }
  if (b.method === 'jensenshannon') {
    const score = jensenShannonDistance(ref.counts, cur.counts);
    return { ...b, score, drift: isDrift('jensenshannon', score, b.threshold) };
  }
  return { ...b, score: null, drift: false, note: `${b.method} needs a numeric feature; '${name}' is categorical` };
}

/** Reference and current counts over the union of categories; current values the reference lumped in `other` go there. */
function categoryTables(ref: CategoricalFeatureReference, cur: CategoricalFeatureSketch): { ref: Omit<Histogram, 'missing'>; cur: Omit<Histogram, 'missing'> } {
  const counts = new Map<string, [number, number]>();
  for (const [k, c] of Object.entries(ref.counts)) counts.set(k, [c, 0]);
  const other: [number, number] = [ref.other, cur.other];
  for (const [k, c] of Object.entries(cur.counts)) {
    const known = counts.get(k);
    if (known) known[1] += c;
    else if (ref.other > 0) other[1] += c;
    else counts.set(k, [0, c]);
  }
  if (other[0] > 0 || other[1] > 0) counts.set('\u0000other', other);
  const keys = [...counts.keys()];
  return {
    ref: { keys, counts: keys.map((k) => counts.get(k)![0]), rows: ref.rows },
    cur: { keys, counts: keys.map((k) => counts.get(k)![1]), rows: cur.rows },
  };
}

/** The numeric feature as categories when every value is an edge and there are at most `limit` distinct ones. */
function fewDistinct(ref: NumericFeatureReference, cur: NumericFeatureSketch, limit: number): { ref: Histogram; cur: Histogram } | null {
  if (!ref.exactEdges || ref.rows === 0 || cur.rows === 0) return null;
  let distinct = 0;
  for (let slot = 0; slot < cur.counts.length; slot++) {
    if ((slot & 1) === 0 && cur.counts[slot] > 0) return null;
    if ((slot & 1) === 1 && (cur.counts[slot] > 0 || ref.counts[slot] > 0)) distinct++;
  }
  return distinct <= limit ? gridAsCategories(ref, cur) : null;
}

/** Edge values as categories (open-slot counts, if any, as one more category each). */
function gridAsCategories(ref: NumericFeatureReference, cur: NumericFeatureSketch): { ref: Histogram; cur: Histogram } {
  const keys: string[] = [];
  const r: number[] = [];
  const c: number[] = [];
  for (let slot = 0; slot < cur.counts.length; slot++) {
    if (cur.counts[slot] === 0 && ref.counts[slot] === 0) continue;
    keys.push((slot & 1) === 1 ? String(ref.edges[slot >> 1]) : `<${slot >> 1}>`);
    r.push(ref.counts[slot]);
    c.push(cur.counts[slot]);
  }
  return { ref: { keys, counts: r, rows: ref.rows, missing: ref.missing }, cur: { keys, counts: c, rows: cur.rows, missing: cur.missing } };
}

/**
 * KS statistic and Wasserstein distance from grid counts, with error bounds. Both CDFs are exact at
 * each edge; inside an open slot with reference mass r and current mass c the CDF difference D moves
 * by at most min(r, c) beyond its ends, and the integral of D over the slot is exact from the sums, so
 * |integral of D| equals the integral of |D| unless D may change sign inside the slot; where its ends
 * differ in sign, D is taken as linear between them (the bound covers any shape).
 */
export function gridComparison(ref: NumericFeatureReference, cur: NumericFeatureSketch): SketchAccuracy {
  const edges = ref.edges;
  const E = edges.length;
  const nr = ref.rows;
  const nc = cur.rows;
  let cr = 0;
  let cc = 0;
  let d = 0;
  let dBound = 0;
  let w = 0;
  let wBound = 0;
  for (let k = 0; k <= E; k++) {
    const rc = ref.counts[2 * k];
    const ccount = cur.counts[2 * k];
    const Da = cc / nc - cr / nr;
    cr += rc;
    cc += ccount;
    const Db = cc / nc - cr / nr;
    if (Math.abs(Db) > d) d = Math.abs(Db);
    const r = rc / nr;
    const c = ccount / nc;
    if (rc > 0 && ccount > 0) dBound = Math.max(dBound, Math.min(r, c));
    if (rc > 0 || ccount > 0) {
      const sr = ref.sums[k] / nr;
      const sc = cur.sums[k] / nc;
      let integral: number;
      if (k === 0) integral = edges[0] * c - sc - (edges[0] * r - sr);
      else if (k === E) integral = sr - edges[E - 1] * r - (sc - edges[E - 1] * c);
      else {
        const a = edges[k - 1];
        const b = edges[k];
        const width = b - a;
        const exact = Math.abs(width * Da + (b * c - sc) - (b * r - sr));
        // The integral of |D| lies in [exact, upper]: D stays within [lo, hi] in the slot, and
        // |D(x)| <= |D(a)| + the rise of both CDFs since a (or |D(b-)| + their rise until b).
        const lo = Math.max(Da - r, Db - c);
        const hi = Math.min(Da + c, Db + r);
        const upper =
          lo < 0 && hi > 0
            ? Math.min(exact + 2 * width * Math.min(hi, -lo), width * Math.abs(Da) + (b * c - sc) + (b * r - sr), width * Math.abs(Db) + (sc - a * c) + (sr - a * r))
            : exact;
        // D crossing zero between its ends: taken as linear there.
        const linear = Da * Db < 0 ? (width * (Da * Da + Db * Db)) / (2 * Math.abs(Db - Da)) : exact;
        integral = Math.min(Math.max(linear, exact), Math.max(upper, exact));
        wBound += Math.max(integral - exact, upper - integral, 0);
      }
      w += Math.abs(integral);
    } else if (k > 0 && k < E) w += Math.abs(Da) * (edges[k] - edges[k - 1]);
    if (k < E) {
      cr += ref.counts[2 * k + 1];
      cc += cur.counts[2 * k + 1];
      const D = Math.abs(cc / nc - cr / nr);
      if (D > d) d = D;
    }
  }
  const norm = Math.max(ref.std, 0.001);
  return { ksStatistic: d, ksErrorBound: dBound, wasserstein: w / norm, wassersteinErrorBound: wBound / norm };
}

/** Counts on the PSI edges from grid counts (PSI edges are grid edges, so each slot lies in one PSI bin). */
export function numericPsiCounts(ref: NumericFeatureReference, grid: { counts: number[] }): number[] {
  const out = new Array<number>(Math.max(1, ref.psiEdges.length - 1)).fill(0);
  const E = ref.edges.length;
  for (let slot = 0; slot < grid.counts.length; slot++) {
    if (grid.counts[slot] === 0) continue;
    const k = slot >> 1;
    const at = (slot & 1) === 1 ? ref.edges[k] : k === 0 ? -Infinity : k === E ? Infinity : (ref.edges[k - 1] + ref.edges[k]) / 2;
    out[binIndex(ref.psiEdges, at)] += grid.counts[slot];
  }
  return out;
}

/** Counts on the PSI categories of a categorical reference, plus one bin for every other value. */
export function categoryPsiCounts(ref: CategoricalFeatureReference, counts: Record<string, number>, other: number): number[] {
  const index = new Map(ref.psiCategories.map((c, i) => [c, i]));
  const out = new Array<number>(ref.psiCategories.length + 1).fill(0);
  out[ref.psiCategories.length] += other;
  for (const [k, c] of Object.entries(counts)) out[index.get(k) ?? ref.psiCategories.length] += c;
  return out;
}
