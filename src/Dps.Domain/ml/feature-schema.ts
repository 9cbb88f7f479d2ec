import { Result, err, ok } from '../result';
import { FeatureMatrix } from './feature-matrix';

/** The columns a model was trained on: names, kinds and, for categoricals, the category list codes refer to. */
export type FeatureSchema =
  | { name: string; kind: 'numeric' }
  | { name: string; kind: 'categorical'; categories: string[] };

/** Column values re-coded into a schema's space; a categorical code equal to `categories.length` means unseen. */
export type BoundColumn = { kind: 'numeric'; values: Float64Array } | { kind: 'categorical'; values: Int32Array };

/** The schema of a matrix, copied so that later edits to the matrix do not reach a model. */
export function schemaOf(matrix: FeatureMatrix): FeatureSchema[] {
  return matrix.columns.map((column) =>
    column.kind === 'numeric'
      ? { name: column.name, kind: 'numeric' }
      : { name: column.name, kind: 'categorical', categories: [...column.categories] },
  );
}

/** Finds each schema column in `matrix` by name and maps its category codes to the schema's codes. */
export function bindToSchema(schema: FeatureSchema[], matrix: FeatureMatrix): Result<BoundColumn[]> {
  const byName = new Map(matrix.columns.map((column) => [column.name, column]));
  const bound: BoundColumn[] = [];
  for (const feature of schema) {
    const column = byName.get(feature.name);
    if (!column) return err(`column "${feature.name}" is missing`);
    if (column.values.length !== matrix.rows) return err(`column "${feature.name}" does not have ${matrix.rows} values`);
    if (feature.kind === 'numeric' || column.kind === 'numeric') {
      if (column.kind !== feature.kind) return err(`column "${feature.name}" is ${column.kind}, the model expects ${feature.kind}`);
      bound.push({ kind: 'numeric', values: column.values as Float64Array });
      continue;
    }
    const known = feature.categories;
    if (sameList(known, column.categories)) {
      bound.push({ kind: 'categorical', values: column.values });
      continue;
    }
    const codeOf = new Map(known.map((category, code) => [category, code]));
    const recode = column.categories.map((category) => codeOf.get(category) ?? known.length);
    bound.push({ kind: 'categorical', values: column.values.map((code) => (code < 0 ? -1 : (recode[code] ?? known.length))) });
  }
  return ok(bound);
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
