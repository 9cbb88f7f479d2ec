import type { OutputColumn } from './accepted-row';
import { CorrelationSums, cramersV, mutualInformation } from './association';
import type { ColumnType, LabelContract, TypedValue } from './contract-types';
import { createRandom } from '../ml/seeded-random';
import { NumericBins, binIndex, quantileEdges, scaleCounts } from './quantile-bins';
import { Reservoir } from './reservoir';

/** Profile settings; the seed makes the sampled bin edges reproducible. */
export interface ProfileOptions {
  seed: number;
  /** Quantile bins per numeric column (default 10). */
  bins?: number;
  /** Categories listed per column (default 20); the rest are summed in `other`. */
  topK?: number;
  /** Values kept per numeric column for bin edges and numeric association (default 10,000). */
  sampleSize?: number;
  /** Distinct values tracked per text column (default 10,000); later new values go to `other`. */
  maxDistinct?: number;
}

/** A value and how many rows have it. */
export interface CategoryCount {
  value: string;
  count: number;
}

/**
 * How strongly a feature goes with the label. mutualInformation: bits, for class labels (numeric
 * features through their bins on the sample). cramersV: categorical features, class labels.
 * correlation: numeric features; point-biserial for a binary label (positive = 1), Pearson for regression.
 */
export interface LabelAssociation {
  mutualInformation?: number;
  cramersV?: number;
  correlation?: number;
}

interface ColumnProfileBase {
  name: string;
  type: ColumnType;
  /** Rows with a value. */
  count: number;
  missing: number;
  missingRate: number;
  association?: LabelAssociation;
}

/** integer and number columns. */
export interface NumericProfile extends ColumnProfileBase {
  kind: 'numeric';
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n - 1). */
  std: number | null;
  bins: NumericBins;
}

/** category, string and boolean columns. */
export interface CategoricalProfile extends ColumnProfileBase {
  kind: 'categorical';
  distinct: number;
  /** True when more than maxDistinct values were seen (distinct is then a lower bound). */
  distinctCapped: boolean;
  top: CategoryCount[];
  other: number;
}

/** date and timestamp columns (ISO strings compare in time order). */
export interface TemporalProfile extends ColumnProfileBase {
  kind: 'temporal';
  min: string | null;
  max: string | null;
}

/** Hashed PII: only counts, a distribution of hashes tells nothing. */
export interface MaskedProfile extends ColumnProfileBase {
  kind: 'masked';
}

export type ColumnProfile = NumericProfile | CategoricalProfile | TemporalProfile | MaskedProfile;

/** The gold-layer profile of a dataset's accepted rows. */
export interface DatasetProfile {
  profileVersion: 1;
  dataset: string;
  rows: number;
  settings: Required<ProfileOptions>;
  label?: LabelContract & { classes?: CategoryCount[] };
  columns: ColumnProfile[];
}

/** Accumulates a profile row by row with bounded memory. */
export interface Profiler {
  add(values: TypedValue[]): void;
  finish(): DatasetProfile;
}

interface Tally {
  count: number;
  byClass: number[];
}

function bump(tally: Tally, cls: number): void {
  tally.count++;
  if (cls >= 0) tally.byClass[cls] = (tally.byClass[cls] ?? 0) + 1;
}

/** A contingency table with one column per label class (missing cells as 0). */
function table(rows: number[][], classes: number): number[][] {
  return rows.map((r) => Array.from({ length: classes }, (_, j) => r[j] ?? 0));
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

abstract class ColumnAccumulator {
  missing = 0;
  constructor(readonly column: OutputColumn) {}
  abstract add(value: TypedValue, cls: number, target: number | undefined): void;
  abstract finish(classes: number): ColumnProfile;
  protected base(count: number) {
    const total = count + this.missing;
    return { name: this.column.name, type: this.column.type, count, missing: this.missing, missingRate: total === 0 ? 0 : round(this.missing / total) };
  }
}

class NumericAccumulator extends ColumnAccumulator {
  private count = 0;
  private min = Infinity;
  private max = -Infinity;
  private mean = 0;
  private m2 = 0;
  private readonly sample: Reservoir;
  private readonly correlation = new CorrelationSums();
  private targets = 0;

  constructor(column: OutputColumn, private readonly options: Required<ProfileOptions>, seed: number) {
    super(column);
    this.sample = new Reservoir(options.sampleSize, createRandom(seed).next);
  }

  add(value: TypedValue, cls: number, target: number | undefined): void {
    if (typeof value !== 'number') {
      this.missing++;
      return;
    }
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    this.sample.offer(value, cls);
    if (target !== undefined) {
      this.targets++;
      this.correlation.add(value, target);
    }
  }

  finish(classes: number): NumericProfile {
    const size = this.sample.size;
    const sorted = this.sample.values.slice(0, size).sort();
    const edges = quantileEdges(sorted, this.options.bins);
    const counts = new Array(Math.max(0, edges.length - 1)).fill(0);
    const joint: number[][] = counts.map(() => []);
    for (let i = 0; i < size; i++) {
      const bin = binIndex(edges, this.sample.values[i]);
      counts[bin]++;
      const cls = this.sample.tags[i];
      if (cls >= 0) joint[bin][cls] = (joint[bin][cls] ?? 0) + 1;
    }
    const exact = this.sample.offered === size;
    const association: LabelAssociation = {};
    if (classes > 1) association.mutualInformation = round(mutualInformation(table(joint, classes)));
    if (this.targets > 0) association.correlation = round(this.correlation.correlation());
    const none = this.count === 0;
    return {
      ...this.base(this.count),
      kind: 'numeric',
      min: none ? null : this.min,
      max: none ? null : this.max,
      mean: none ? null : round(this.mean),
      std: this.count < 2 ? null : round(Math.sqrt(this.m2 / (this.count - 1))),
      bins: { edges, counts: exact ? counts : scaleCounts(counts, this.count), exact },
      association,
    };
  }
}

class CategoricalAccumulator extends ColumnAccumulator {
  private count = 0;
  private readonly values = new Map<string, Tally>();
  private readonly overflow: Tally = { count: 0, byClass: [] };

  constructor(column: OutputColumn, private readonly options: Required<ProfileOptions>) {
    super(column);
  }

  add(value: TypedValue, cls: number): void {
    if (value === null) {
      this.missing++;
      return;
    }
    this.count++;
    const key = String(value);
    let tally = this.values.get(key);
    if (!tally) {
      if (this.values.size >= this.options.maxDistinct) return bump(this.overflow, cls);
      tally = { count: 0, byClass: [] };
      this.values.set(key, tally);
    }
    bump(tally, cls);
  }

  finish(classes: number): CategoricalProfile {
    const ranked = [...this.values.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : 1));
    const top = ranked.slice(0, this.options.topK).map(([value, t]) => ({ value, count: t.count }));
    const rows = table([...ranked.map(([, t]) => t.byClass), ...(this.overflow.count > 0 ? [this.overflow.byClass] : [])], classes);
    const association: LabelAssociation = classes > 1 ? { mutualInformation: round(mutualInformation(rows)), cramersV: round(cramersV(rows)) } : {};
    return {
      ...this.base(this.count),
      kind: 'categorical',
      distinct: this.values.size,
      distinctCapped: this.overflow.count > 0,
      top,
      other: this.count - top.reduce((s, t) => s + t.count, 0),
      association,
    };
  }
}

class TemporalAccumulator extends ColumnAccumulator {
  private count = 0;
  private min: string | null = null;
  private max: string | null = null;

  add(value: TypedValue): void {
    if (typeof value !== 'string') {
      this.missing++;
      return;
    }
    this.count++;
    if (this.min === null || value < this.min) this.min = value;
    if (this.max === null || value > this.max) this.max = value;
  }

  finish(): TemporalProfile {
    return { ...this.base(this.count), kind: 'temporal', min: this.min, max: this.max };
  }
}

class MaskedAccumulator extends ColumnAccumulator {
  private count = 0;

  add(value: TypedValue): void {
    if (value === null) this.missing++;
    else this.count++;
  }

  finish(): MaskedProfile {
    return { ...this.base(this.count), kind: 'masked' };
  }
}

function accumulatorFor(column: OutputColumn, options: Required<ProfileOptions>, index: number): ColumnAccumulator {
  if (column.pii) return new MaskedAccumulator(column);
  if (column.type === 'integer' || column.type === 'number') return new NumericAccumulator(column, options, options.seed + index);
  if (column.type === 'date' || column.type === 'timestamp') return new TemporalAccumulator(column);
  return new CategoricalAccumulator(column, options);
}

/**
 * Starts profiling rows of the given output columns (accepted rows' values, in that order). With a
 * label, every other column gets its association with it; label rows that are missing are left out of it.
 */
export function createProfiler(dataset: string, columns: OutputColumn[], label: LabelContract | undefined, options: ProfileOptions): Profiler {
  const settings: Required<ProfileOptions> = { bins: 10, topK: 20, sampleSize: 10_000, maxDistinct: 10_000, ...options };
  const accumulators = columns.map((c, i) => accumulatorFor(c, settings, i));
  const labelIndex = label ? columns.findIndex((c) => c.name === label.column) : -1;
  const classIndex = new Map<string, number>();
  const classCounts: number[] = [];
  const regression = label?.task === 'regression';
  const positive = label?.positiveClass === undefined ? undefined : String(label.positiveClass);
  let rows = 0;
  return {
    add(values) {
      rows++;
      let cls = -1;
      let target: number | undefined;
      const y = labelIndex >= 0 ? values[labelIndex] : null;
      if (y !== null && regression) target = typeof y === 'number' ? y : undefined;
      else if (y !== null) {
        const key = String(y);
        cls = classIndex.get(key) ?? classIndex.set(key, classIndex.size).size - 1;
        classCounts[cls] = (classCounts[cls] ?? 0) + 1;
        if (positive !== undefined) target = key === positive ? 1 : 0;
      }
      for (let i = 0; i < accumulators.length; i++) accumulators[i].add(values[i], i === labelIndex ? -1 : cls, i === labelIndex ? undefined : target);
    },
    finish() {
      const classes = regression ? 0 : classIndex.size;
      const profiles = accumulators.map((a, i) => {
        const p = a.finish(i === labelIndex ? 0 : classes);
        if (i === labelIndex || !label) delete p.association;
        return p;
      });
      const profile: DatasetProfile = { profileVersion: 1, dataset, rows, settings, columns: profiles };
      if (label) {
        profile.label = regression ? { ...label } : { ...label, classes: [...classIndex.entries()].map(([value, i]) => ({ value, count: classCounts[i] })) };
      }
      return profile;
    },
  };
}
