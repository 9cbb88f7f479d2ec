import { createCsvParser } from '../data/csv-parser';
import { detectFormat } from '../data/format-detection';
import { createJsonLinesParser } from '../data/jsonl-parser';
import type { RawRecord } from '../data/raw-record';
import { isJsonObject } from '../json-object';
import { Result, err, ok } from '../result';
import { ScoringInputError, ScoringProblem, scoringInputError } from './scoring-input-error';
import { MAX_ENTITY_LENGTH, MAX_ROWS_PER_REQUEST, MAX_SCORING_BODY_BYTES, MIN_ROWS_PER_REQUEST } from './scoring-limits';

/** A scoring body, read but not yet checked against a model: rows as sent, or entity ids to look up. */
export type ScoringRequest =
  | { kind: 'rows'; format: 'json' | 'csv' | 'jsonl'; rows: Record<string, unknown>[] }
  | { kind: 'entities'; entities: string[] };

const JSONL_TYPES = new Set(['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/jsonlines', 'application/json-lines']);
const decoder = new TextDecoder('utf-8', { fatal: false });

const fail = (problem: ScoringProblem): Result<never, ScoringInputError> => err(scoringInputError([problem]));

function countProblem(count: number, what: string): ScoringProblem | undefined {
  if (count < MIN_ROWS_PER_REQUEST) return { rule: 'row-count', message: `the body holds no ${what}; send ${MIN_ROWS_PER_REQUEST} to ${MAX_ROWS_PER_REQUEST}` };
  if (count > MAX_ROWS_PER_REQUEST) return { rule: 'row-count', message: `the body holds ${count} ${what}, more than the limit of ${MAX_ROWS_PER_REQUEST} per request (use batch scoring)` };
  return undefined;
}

/**
 * Reads a scoring body: JSON `{"rows":[...]}` or `{"entities":[...]}`, CSV with a header, or JSON Lines.
 * The content type decides when it names one of them; otherwise the first bytes do. Row indexes in
 * problems are 0-based positions in the request (the `row` feedback refers to).
 */
export function parseScoringBody(body: Uint8Array, contentType?: string): Result<ScoringRequest, ScoringInputError> {
  if (body.length > MAX_SCORING_BODY_BYTES) return fail({ rule: 'body', message: `the body has ${body.length} bytes, more than the limit of ${MAX_SCORING_BODY_BYTES}` });
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (decoder.decode(body.subarray(0, 4096)).trim() === '' && body.length <= 4096) return fail({ rule: 'body', message: 'the body is empty; send {"rows":[...]}, {"entities":[...]}, CSV or JSON Lines' });
  if (mediaType === 'text/csv') return parseRecords(body, 'csv');
  if (JSONL_TYPES.has(mediaType)) return parseRecords(body, 'jsonl');
  if (mediaType === 'application/json') return parseJsonBody(body, true);
  if (detectFormat(body.subarray(0, 64)) === 'csv') return parseRecords(body, 'csv');
  return parseJsonBody(body, false);
}

function parseJsonBody(body: Uint8Array, declared: boolean): Result<ScoringRequest, ScoringInputError> {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(body));
  } catch (e) {
    // Several objects, one per line, are JSON Lines rather than a broken JSON document.
    if (!declared) return parseRecords(body, 'jsonl');
    return fail({ rule: 'json', message: `the body is not valid JSON (${(e as Error).message})` });
  }
  if (!isJsonObject(value)) return fail({ rule: 'body', message: 'the body must be a JSON object {"rows":[...]} or {"entities":[...]}' });
  const fields = Object.keys(value);
  if (!('rows' in value) && !('entities' in value)) {
    // A single object without either field, sent without saying it is JSON, is one JSON Lines row.
    if (!declared) return parseRecords(body, 'jsonl');
    return fail({ rule: 'body', message: `the body must have a field "rows" or "entities" (it has ${fields.map((f) => `"${f}"`).join(', ') || 'none'})` });
  }
  const unknown = fields.filter((f) => f !== 'rows' && f !== 'entities');
  if (unknown.length > 0) return fail({ rule: 'body', message: `unknown field "${unknown[0]}"; the body holds "rows" or "entities"` });
  if ('rows' in value && 'entities' in value) return fail({ rule: 'body', message: 'send either "rows" or "entities", not both' });
  return 'rows' in value ? jsonRows(value.rows) : entityIds(value.entities);
}

function jsonRows(rows: unknown): Result<ScoringRequest, ScoringInputError> {
  if (!Array.isArray(rows)) return fail({ rule: 'body', column: 'rows', message: 'field "rows" must be an array of objects' });
  const count = countProblem(rows.length, 'rows');
  if (count) return fail(count);
  const problems: ScoringProblem[] = [];
  rows.forEach((row, i) => {
    if (!isJsonObject(row)) problems.push({ rule: 'json', row: i, message: `rows[${i}] is ${Array.isArray(row) ? 'an array' : row === null ? 'null' : `a ${typeof row}`}, not an object of column values` });
  });
  if (problems.length > 0) return err(scoringInputError(problems));
  return ok({ kind: 'rows', format: 'json', rows: rows as Record<string, unknown>[] });
}

function entityIds(entities: unknown): Result<ScoringRequest, ScoringInputError> {
  if (!Array.isArray(entities)) return fail({ rule: 'body', column: 'entities', message: 'field "entities" must be an array of ids' });
  const count = countProblem(entities.length, 'entities');
  if (count) return fail(count);
  const problems: ScoringProblem[] = [];
  const ids: string[] = [];
  entities.forEach((id, i) => {
    if ((typeof id !== 'string' && typeof id !== 'number') || String(id) === '') problems.push({ rule: 'entity', row: i, message: `entities[${i}] must be a non-empty string or number` });
    else if (String(id).length > MAX_ENTITY_LENGTH) problems.push({ rule: 'entity', row: i, message: `entities[${i}] is longer than ${MAX_ENTITY_LENGTH} characters` });
    else ids.push(String(id));
  });
  if (problems.length > 0) return err(scoringInputError(problems));
  return ok({ kind: 'entities', entities: ids });
}

function parseRecords(body: Uint8Array, format: 'csv' | 'jsonl'): Result<ScoringRequest, ScoringInputError> {
  const parser = format === 'csv' ? createCsvParser({ delimiter: 'auto', header: true }) : createJsonLinesParser();
  const records: RawRecord[] = [...parser.push(body), ...parser.end()];
  let header: string[] | undefined;
  const rows: Record<string, unknown>[] = [];
  const problems: ScoringProblem[] = [];
  for (const record of records) {
    if (record.kind === 'csv' && record.row === 0) {
      if (record.issue) return fail({ rule: record.issue.rule, message: `the CSV header cannot be read: ${record.issue.message}` });
      header = record.fields.map((f) => f.trim());
      const twice = header.find((name, k) => header!.indexOf(name) !== k);
      if (twice !== undefined) return fail({ rule: 'body', column: twice, message: `the CSV header names column "${twice}" twice` });
      continue;
    }
    // Data rows count from 1 in the parsers; requests count from 0.
    const row = record.row - 1;
    if (record.issue) {
      problems.push({ rule: record.issue.rule, row, message: `line ${record.line}: ${record.issue.message}` });
      continue;
    }
    if (record.kind === 'json') {
      rows.push(record.value as Record<string, unknown>);
      continue;
    }
    const names = header ?? [];
    if (record.fields.length !== names.length) {
      problems.push({ rule: 'field-count', row, message: `line ${record.line} has ${record.fields.length} fields, the header has ${names.length}` });
      continue;
    }
    // An empty CSV field is a missing value, as JSON's null is.
    const values: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) values[names[k]] = record.fields[k] === '' ? null : record.fields[k];
    rows.push(values);
  }
  const count = countProblem(rows.length + problems.length, 'rows');
  if (count) return fail(count);
  if (problems.length > 0) return err(scoringInputError(problems));
  return ok({ kind: 'rows', format, rows });
}
