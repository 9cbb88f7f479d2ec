import type { TypedValue } from '../data/contract-types';
import { Result, err, ok } from '../result';
import type { DriftReference } from './drift-reference';
import { GridCounts, SlotIndex, createSlotIndex, emptyGridCounts, slotIn } from './numeric-grid';

/** A numeric feature in a window: counts and sums on the reference's grid. */
export interface NumericFeatureSketch extends GridCounts {
  kind: 'numeric';
  rows: number;
  missing: number;
}

/**
 * A categorical feature in a window: counts per value, at most maxCategories of them (the smallest
 * values in string order are kept, so merging in any order keeps the same ones); the rest in `other`.
 */
export interface CategoricalFeatureSketch {
  kind: 'categorical';
  rows: number;
  missing: number;
  counts: Record<string, number>;
  other: number;
}

export type FeatureSketch = NumericFeatureSketch | CategoricalFeatureSketch;

/**
 * One window of current data, per feature, as plain JSON. Merging is associative and commutative
 * (counts add; float sums up to rounding), so partitions and instances can each keep their own.
 */
export interface WindowSketch {
  sketchVersion: 1;
  /** The reference's source: sketches of different references never merge. */
  reference: string;
  /** Window bounds: ISO times for time windows, or row positions as text for row windows. */
  start: string;
  end: string;
  rows: number;
  features: Record<string, FeatureSketch>;
  /** Cap on categories per feature (default 1,000). */
  maxCategories: number;
}

/** An empty sketch for a window of this reference. */
export function createWindowSketch(reference: DriftReference, start: string, end: string, maxCategories = 1000): WindowSketch {
  const features: Record<string, FeatureSketch> = {};
  for (const f of reference.features) {
    features[f.name] = f.kind === 'numeric' ? { kind: 'numeric', rows: 0, missing: 0, ...emptyGridCounts(f.edges.length) } : { kind: 'categorical', rows: 0, missing: 0, counts: {}, other: 0 };
  }
  return { sketchVersion: 1, reference: reference.source, start, end, rows: 0, features, maxCategories };
}

/** Adds rows or columns of current data to sketches of one reference (holds the reference's lookup tables). */
export interface SketchWriter {
  /** Adds one row (feature name to value; absent, null, the wrong type or a non-finite number counts as missing). */
  addRow(sketch: WindowSketch, row: Readonly<Record<string, TypedValue | undefined>>): void;
  /** Adds a column of values to one feature; count its rows with addRowCount. The fast path for batches. */
  addColumn(sketch: WindowSketch, feature: string, values: ArrayLike<TypedValue>): void;
}

/** A writer for sketches of this reference. */
export function createSketchWriter(reference: DriftReference): SketchWriter {
  const indexes = new Map<string, SlotIndex>();
  for (const f of reference.features) if (f.kind === 'numeric') indexes.set(f.name, createSlotIndex(f.edges));
  return {
    addRow(sketch, row) {
      sketch.rows++;
      for (const f of reference.features) {
        const value = row[f.name];
        if (f.kind === 'numeric') addNumber(sketch.features[f.name] as NumericFeatureSketch, indexes.get(f.name)!, value);
        else addCategory(sketch.features[f.name] as CategoricalFeatureSketch, value, sketch.maxCategories);
      }
    },
    addColumn(sketch, feature, values) {
      const index = indexes.get(feature);
      const target = sketch.features[feature];
      if (!target) return;
      if (index) {
        const s = target as NumericFeatureSketch;
        for (let i = 0; i < values.length; i++) addNumber(s, index, values[i]);
      } else addCategories(target as CategoricalFeatureSketch, values, sketch.maxCategories);
    },
  };
}

/** Counts a column of categories locally first: one Map lookup per value, one capped merge per distinct value. */
function addCategories(s: CategoricalFeatureSketch, values: ArrayLike<TypedValue>, cap: number): void {
  const local = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) s.missing++;
    else {
      const key = typeof v === 'string' ? v : String(v);
      local.set(key, (local.get(key) ?? 0) + 1);
    }
  }
  for (const [key, count] of local) {
    s.rows += count;
    mergeCategory(s, key, count, cap);
  }
}

/** Counts rows added column by column with addColumn. */
export function addRowCount(sketch: WindowSketch, rows: number): void {
  sketch.rows += rows;
}

function addNumber(s: NumericFeatureSketch, index: SlotIndex, value: TypedValue | undefined): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    s.missing++;
    return;
  }
  s.rows++;
  const slot = slotIn(index, value);
  s.counts[slot]++;
  if ((slot & 1) === 0) s.sums[slot >> 1] += value;
}

function addCategory(s: CategoricalFeatureSketch, value: TypedValue | undefined, cap: number): void {
  if (value === null || value === undefined) {
    s.missing++;
    return;
  }
  s.rows++;
  const key = String(value);
  if (key in s.counts) s.counts[key]++;
  else mergeCategory(s, key, 1, cap);
}

/** Adds a category's count, keeping only the `cap` smallest keys. */
function mergeCategory(s: CategoricalFeatureSketch, key: string, count: number, cap: number): void {
  if (key in s.counts) {
    s.counts[key] += count;
    return;
  }
  const keys = Object.keys(s.counts);
  if (keys.length < cap) {
    s.counts[key] = count;
    return;
  }
  let largest = keys[0];
  for (const k of keys) if (k > largest) largest = k;
  if (key < largest) {
    s.other += s.counts[largest];
    delete s.counts[largest];
    s.counts[key] = count;
  } else s.other += count;
}

/** Merges two sketches of the same reference: counts add, the window spans both. Errors say why they cannot merge. */
export function mergeSketches(a: WindowSketch, b: WindowSketch): Result<WindowSketch, string> {
  if (a.reference !== b.reference) return err(`sketches of different references cannot merge ('${a.reference}' and '${b.reference}')`);
  if (a.maxCategories !== b.maxCategories) return err(`sketches with different category caps cannot merge (${a.maxCategories} and ${b.maxCategories})`);
  const features: Record<string, FeatureSketch> = {};
  for (const [name, fa] of Object.entries(a.features)) {
    const fb = b.features[name];
    if (!fb || fb.kind !== fa.kind) return err(`feature '${name}' is not in both sketches with the same kind`);
    if (fa.kind === 'numeric') {
      const nb = fb as NumericFeatureSketch;
      if (nb.counts.length !== fa.counts.length) return err(`feature '${name}' has different grids in the two sketches`);
      features[name] = { kind: 'numeric', rows: fa.rows + nb.rows, missing: fa.missing + nb.missing, counts: fa.counts.map((c, i) => c + nb.counts[i]), sums: fa.sums.map((s, i) => s + nb.sums[i]) };
    } else {
      const cb = fb as CategoricalFeatureSketch;
      const merged: CategoricalFeatureSketch = { kind: 'categorical', rows: fa.rows + cb.rows, missing: fa.missing + cb.missing, counts: { ...fa.counts }, other: fa.other + cb.other };
      for (const [key, count] of Object.entries(cb.counts)) mergeCategory(merged, key, count, a.maxCategories);
      features[name] = merged;
    }
  }
  if (Object.keys(b.features).length !== Object.keys(a.features).length) return err('the sketches have different features');
  return ok({
    sketchVersion: 1,
    reference: a.reference,
    start: compareBounds(a.start, b.start) <= 0 ? a.start : b.start,
    end: compareBounds(a.end, b.end) >= 0 ? a.end : b.end,
    rows: a.rows + b.rows,
    features,
    maxCategories: a.maxCategories,
  });
}

/** Orders window bounds: row positions numerically, ISO times as text (which is time order in UTC). */
function compareBounds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}
