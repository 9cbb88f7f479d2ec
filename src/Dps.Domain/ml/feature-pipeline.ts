import type { OutputColumn } from '../data/accepted-row';
import type { DataContract, TypedValue } from '../data/contract-types';
import { Result, err, ok } from '../result';
import type { FeatureColumn, FeatureMatrix } from './feature-matrix';
import { Task, decideTask } from './task-decision';

/** Free-text columns with more distinct values than this in training are left out of the features. */
export const MAX_CATEGORIES = 200;
const DAY_MS = 86_400_000;

export type { Task } from './task-decision';

/** One model input: how a silver column becomes a feature. */
export type FeatureSpec =
  | { name: string; kind: 'numeric'; source: 'number' | 'boolean' | 'date' }
  | { name: string; kind: 'categorical'; categories: string[] };

/** A column that is not a feature, and why. */
export interface ExcludedColumn {
  name: string;
  reason: 'label' | 'primary key' | 'personal data' | 'free text';
}

/**
 * The fitted transformation from silver rows to a feature matrix, saved with the model so scoring
 * applies exactly the same encoding. Its `features` are the model's signature (input schema).
 */
export interface FeaturePipeline {
  format: 'dps-feature-pipeline/1';
  task: Task;
  /** classes: binary [negative, positive], multiclass in label order (class i is label value i). */
  label: { column: string; positiveClass?: string; classes?: string[] };
  features: FeatureSpec[];
  excluded: ExcludedColumn[];
  /** What the user should know about how the task was decided (absent: nothing). */
  warnings?: string[];
}

/** Labelled rows as a matrix, plus how many rows had no label and were left out. */
export interface LabelledData {
  matrix: FeatureMatrix;
  labels: Float64Array;
  droppedUnlabelled: number;
}

const text = (v: TypedValue | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** Decides the task from the contract's label and its values (see decideTask); `maxClasses` caps multiclass. */
export function detectTask(
  contract: DataContract,
  labelValues: TypedValue[],
  maxClasses?: number,
): Result<{ task: Task; positiveClass?: string; classes?: string[]; warnings: string[] }> {
  const label = contract.label;
  if (!label) return err('the contract names no label column, so there is nothing to train');
  const column = contract.columns.find((c) => c.name === label.column);
  if (!column) return err(`label column '${label.column}' is not a column of the contract`);
  const distinct = [...new Set(labelValues.filter((v) => v !== null && v !== undefined).map(String))];
  const numeric = column.type === 'integer' || column.type === 'number';
  return decideTask({ column: label.column, numeric, distinct, declared: label, maxClasses });
}

/**
 * Fits the feature pipeline on training rows: key, PII and label columns are excluded; numbers, dates
 * (days since epoch) and booleans become numeric features; categories keep the domain seen in
 * training (plus the contract's declared values); high-cardinality text is excluded.
 */
export function fitFeaturePipeline(
  contract: DataContract,
  columns: OutputColumn[],
  rows: Record<string, TypedValue>[],
  maxClasses?: number,
): Result<FeaturePipeline> {
  const labelColumn = contract.label?.column;
  const task = detectTask(contract, rows.map((r) => (labelColumn ? r[labelColumn] : null)), maxClasses);
  if (!task.ok) return task;
  const key = new Set(contract.primaryKey ?? []);
  const features: FeatureSpec[] = [];
  const excluded: ExcludedColumn[] = [];
  for (const column of columns) {
    const declared = contract.columns.find((c) => c.name === column.name);
    if (column.name === labelColumn) excluded.push({ name: column.name, reason: 'label' });
    else if (key.has(column.name)) excluded.push({ name: column.name, reason: 'primary key' });
    else if (column.pii || declared?.pii) excluded.push({ name: column.name, reason: 'personal data' });
    else if (column.type === 'integer' || column.type === 'number') features.push({ name: column.name, kind: 'numeric', source: 'number' });
    else if (column.type === 'boolean') features.push({ name: column.name, kind: 'numeric', source: 'boolean' });
    else if (column.type === 'date' || column.type === 'timestamp') features.push({ name: column.name, kind: 'numeric', source: 'date' });
    else {
      const seen = new Set<string>((declared?.values ?? []).map(String));
      for (const row of rows) {
        const value = text(row[column.name]);
        if (value !== undefined) seen.add(value);
        if (seen.size > MAX_CATEGORIES) break;
      }
      if (seen.size > MAX_CATEGORIES) excluded.push({ name: column.name, reason: 'free text' });
      else features.push({ name: column.name, kind: 'categorical', categories: [...seen].sort() });
    }
  }
  if (features.length === 0) return err('no usable feature columns: every column is the label, a key, personal data or free text');
  const { task: decided, positiveClass, classes, warnings } = task.value;
  return ok({
    format: 'dps-feature-pipeline/1',
    task: decided,
    label: { column: labelColumn as string, positiveClass, ...(decided === 'multiclass' ? { classes } : {}) },
    features,
    excluded,
    ...(warnings.length > 0 ? { warnings } : {}),
  });
}

function numericValue(spec: Extract<FeatureSpec, { kind: 'numeric' }>, value: TypedValue | undefined): number {
  if (value === null || value === undefined) return NaN;
  if (spec.source === 'boolean') return value === true || value === 'true' ? 1 : 0;
  if (spec.source === 'date') {
    const ms = Date.parse(String(value));
    return Number.isNaN(ms) ? NaN : ms / DAY_MS;
  }
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : NaN;
}

/** Applies the pipeline to rows (training or scoring); unseen categories count as missing. */
export function transformRows(pipeline: FeaturePipeline, rows: Record<string, TypedValue>[]): FeatureMatrix {
  const columns: FeatureColumn[] = pipeline.features.map((spec) => {
    if (spec.kind === 'numeric') {
      const values = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) values[i] = numericValue(spec, rows[i][spec.name]);
      return { name: spec.name, kind: 'numeric', values };
    }
    const code = new Map(spec.categories.map((c, i) => [c, i]));
    const values = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) values[i] = code.get(text(rows[i][spec.name]) ?? '\u0000') ?? -1;
    return { name: spec.name, kind: 'categorical', values, categories: spec.categories };
  });
  return { rows: rows.length, columns };
}

/**
 * A compiled encoder for one record at a time (the scoring path): writes the record's features into `out` in
 * pipeline order, exactly as transformRows encodes them, without building a matrix.
 */
export function compileRecordEncoder(pipeline: FeaturePipeline): (record: Record<string, TypedValue>, out: Float64Array) => Float64Array {
  const steps = pipeline.features.map((spec): ((record: Record<string, TypedValue>) => number) => {
    if (spec.kind === 'numeric') return (record) => numericValue(spec, record[spec.name]);
    const code = new Map(spec.categories.map((c, i) => [c, i]));
    return (record) => code.get(text(record[spec.name]) ?? '\u0000') ?? -1;
  });
  return (record, out) => {
    for (let f = 0; f < steps.length; f++) out[f] = steps[f](record);
    return out;
  };
}

/**
 * The label as a number: 1/0 for the positive class in binary tasks, the class index for multiclass (undefined
 * for a class not seen in training), the value itself for regression.
 */
export function labelValue(pipeline: FeaturePipeline, value: TypedValue | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (pipeline.task === 'binary') return String(value) === pipeline.label.positiveClass ? 1 : 0;
  if (pipeline.task === 'multiclass') {
    const index = (pipeline.label.classes ?? []).indexOf(String(value));
    return index < 0 ? undefined : index;
  }
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** Transforms labelled rows, leaving out (and counting) rows whose label is missing. */
export function labelledData(pipeline: FeaturePipeline, rows: Record<string, TypedValue>[]): LabelledData {
  const kept: Record<string, TypedValue>[] = [];
  const labels: number[] = [];
  for (const row of rows) {
    const y = labelValue(pipeline, row[pipeline.label.column]);
    if (y === undefined) continue;
    kept.push(row);
    labels.push(y);
  }
  return { matrix: transformRows(pipeline, kept), labels: Float64Array.from(labels), droppedUnlabelled: rows.length - kept.length };
}
