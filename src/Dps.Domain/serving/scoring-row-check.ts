import type { TypedValue } from '../data/contract-types';
import { parseBoolean, parseDate, parseNumber, parseTimestamp } from '../data/value-parsing';
import type { FeatureSpec } from '../ml/feature-pipeline';
import { Result, err, ok } from '../result';
import { ScoringInputError, ScoringProblem, scoringInputError } from './scoring-input-error';
import { MAX_ENTITY_LENGTH, MAX_LISTED_PROBLEMS } from './scoring-limits';
import type { ScoringSchema } from './scoring-schema';

/** Rows that passed the signature check: typed values by column (what transformRows reads) and each row's entity. */
export interface CheckedRows {
  rows: Record<string, TypedValue>[];
  /** The row's entity: its key value(s), else the request's entity header, else undefined (routing then uses the request id). */
  entities: Array<string | undefined>;
}

type Typed = { value: TypedValue } | { problem: string };

const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

function typedFeature(spec: FeatureSpec, raw: unknown): Typed {
  if (raw === null) return { value: null };
  if (spec.kind === 'categorical') {
    if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { value: String(raw) };
    return { problem: `${show(raw)} is not a category value (text, number or boolean)` };
  }
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  if (text === '') return { value: null };
  if (spec.source === 'number') {
    const n = typeof raw === 'number' ? raw : text !== undefined ? parseNumber(text) : undefined;
    return n !== undefined && Number.isFinite(n) ? { value: n } : { problem: `${show(raw)} is not a finite number` };
  }
  if (spec.source === 'boolean') {
    const b = typeof raw === 'boolean' ? raw : raw === 0 || raw === 1 ? raw === 1 : text !== undefined ? parseBoolean(text) : undefined;
    return b !== undefined ? { value: b } : { problem: `${show(raw)} is not a boolean (true/false, yes/no, 1/0)` };
  }
  const date = text !== undefined ? (parseDate(text) ?? parseTimestamp(text)) : undefined;
  return date !== undefined ? { value: date } : { problem: `${show(raw)} is not a date YYYY-MM-DD or an ISO 8601 timestamp` };
}

function typedPassthrough(raw: unknown): Typed {
  if (raw === null || typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return { value: raw };
  return { problem: `${show(raw)} is a nested value; columns hold text, numbers or booleans` };
}

/** A row's entity id from its key columns: one value as text, a compound key as a JSON array; undefined when a part is missing. */
export function entityOf(key: string[], row: Record<string, TypedValue>): string | undefined {
  if (key.length === 0 || key.some((k) => row[k] === null || row[k] === undefined)) return undefined;
  // A compound key is its values as a JSON array, so ("a,b","c") and ("a","b,c") stay apart.
  return key.length === 1 ? String(row[key[0]]) : JSON.stringify(key.map((k) => row[k]));
}

/**
 * Checks every row against the scoring schema: each feature present (null is allowed and means missing),
 * no column outside the schema, every value of its feature's type. Any problem fails the whole request,
 * so nothing is scored. `entityHeader` (the `x-dps-entity` header) names the entity of rows without a key.
 */
export function checkScoringRows(schema: ScoringSchema, rows: Record<string, unknown>[], entityHeader?: string): Result<CheckedRows, ScoringInputError> {
  const problems: ScoringProblem[] = [];
  let total = 0;
  const note = (problem: ScoringProblem): void => {
    total++;
    if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
  };
  if (entityHeader !== undefined && (entityHeader === '' || entityHeader.length > MAX_ENTITY_LENGTH)) {
    note({ rule: 'entity', message: `the entity header must be 1 to ${MAX_ENTITY_LENGTH} characters` });
  }
  const features = new Map(schema.features.map((f) => [f.name, f]));
  const passthrough = new Set(schema.passthrough.map((p) => p.name));
  const checked: Record<string, TypedValue>[] = new Array(rows.length);
  const entities: Array<string | undefined> = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const out: Record<string, TypedValue> = {};
    for (const [name, spec] of features) {
      const raw = row[name];
      if (raw === undefined) {
        note({ rule: 'missing-column', row: i, column: name, message: 'the model reads this column; send null for a missing value' });
        continue;
      }
      const typed = typedFeature(spec, raw);
      if ('problem' in typed) note({ rule: 'type', row: i, column: name, message: typed.problem });
      else out[name] = typed.value;
    }
    for (const name of Object.keys(row)) {
      if (features.has(name)) continue;
      if (!passthrough.has(name)) {
        note({ rule: 'unknown-column', row: i, column: name, message: 'the model has no such column' });
        continue;
      }
      const typed = typedPassthrough(row[name]);
      if ('problem' in typed) note({ rule: 'type', row: i, column: name, message: typed.problem });
      else out[name] = typed.value;
    }
    const entity = entityOf(schema.entityKey, out) ?? entityHeader;
    if (entity !== undefined && entity.length > MAX_ENTITY_LENGTH) note({ rule: 'entity', row: i, message: `the entity id is longer than ${MAX_ENTITY_LENGTH} characters` });
    checked[i] = out;
    entities[i] = entity;
  }
  if (total > 0) return err(scoringInputError(problems, total));
  return ok({ rows: checked, entities });
}
