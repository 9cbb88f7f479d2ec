import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { ReferenceColumn } from '../../Dps.Domain/drift/drift-reference';
import type { FeatureSpec } from '../../Dps.Domain/ml/feature-pipeline';

/**
 * A model input as drift sees it: numbers and dates (epoch ms) are numeric, booleans and categories
 * categorical. Reference rows (silver) and telemetry inputs go through this same mapping.
 */
export function driftValue(spec: FeatureSpec, value: TypedValue | undefined): TypedValue {
  if (value === null || value === undefined) return null;
  if (spec.kind === 'categorical') return String(value);
  if (spec.source === 'boolean') return String(value);
  if (spec.source === 'date') {
    const ms = typeof value === 'string' ? Date.parse(value) : NaN;
    return Number.isNaN(ms) ? null : ms;
  }
  return typeof value === 'number' ? value : null;
}

/** The drift kind of a model feature. */
function driftKind(spec: FeatureSpec): 'numeric' | 'categorical' {
  return spec.kind === 'numeric' && spec.source !== 'boolean' ? 'numeric' : 'categorical';
}

/** A row's model inputs mapped for the sketches, by feature name. */
export function driftRow(signature: readonly FeatureSpec[], inputs: Readonly<Record<string, TypedValue>>): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const spec of signature) out[spec.name] = driftValue(spec, inputs[spec.name]);
  return out;
}

/** Reference columns of a model's features from its training rows. */
export function driftColumns(signature: readonly FeatureSpec[], rows: readonly Readonly<Record<string, TypedValue>>[]): ReferenceColumn[] {
  return signature.map((spec) => {
    const values = rows.map((r) => driftValue(spec, r[spec.name]));
    return driftKind(spec) === 'numeric'
      ? { name: spec.name, kind: 'numeric', values: values as Array<number | null> }
      : { name: spec.name, kind: 'categorical', values: values as Array<string | null> };
  });
}
