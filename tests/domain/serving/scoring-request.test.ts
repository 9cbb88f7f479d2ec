import { describe, expect, it } from 'vitest';
import type { FeaturePipeline } from '../../../src/Dps.Domain/ml/feature-pipeline';
import { parseScoringBody } from '../../../src/Dps.Domain/serving/scoring-request';
import { checkScoringRows } from '../../../src/Dps.Domain/serving/scoring-row-check';
import { MAX_LISTED_PROBLEMS, MAX_ROWS_PER_REQUEST } from '../../../src/Dps.Domain/serving/scoring-limits';
import { scoringSchemaOf } from '../../../src/Dps.Domain/serving/scoring-schema';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

const pipeline: FeaturePipeline = {
  format: 'dps-feature-pipeline/1',
  task: 'binary',
  label: { column: 'churned', positiveClass: 'yes' },
  features: [
    { name: 'age', kind: 'numeric', source: 'number' },
    { name: 'autopay', kind: 'numeric', source: 'boolean' },
    { name: 'signup', kind: 'numeric', source: 'date' },
    { name: 'plan', kind: 'categorical', categories: ['basic', 'pro'] },
  ],
  excluded: [
    { name: 'churned', reason: 'label' },
    { name: 'id', reason: 'primary key' },
    { name: 'email', reason: 'personal data' },
  ],
};
const schema = scoringSchemaOf(pipeline, {
  primaryKey: ['id'],
  columns: [
    { name: 'email', type: 'string', nullable: true, required: true, trim: false, pii: 'hash' },
    { name: 'phone', type: 'string', nullable: true, required: false, trim: false, pii: 'drop' },
  ],
});
const good = { id: 7, age: 41, autopay: true, signup: '2021-03-04', plan: 'pro' };

describe('parseScoringBody', () => {
  it('reads JSON rows, JSON entities, CSV and JSON Lines into the same rows', () => {
    const json = parseScoringBody(bytes(JSON.stringify({ rows: [good] })), 'application/json');
    expect(json).toEqual({ ok: true, value: { kind: 'rows', format: 'json', rows: [good] } });
    const csv = parseScoringBody(bytes('id,age,autopay,signup,plan\n7,41,true,2021-03-04,\n'), undefined);
    expect(csv).toEqual({ ok: true, value: { kind: 'rows', format: 'csv', rows: [{ id: '7', age: '41', autopay: 'true', signup: '2021-03-04', plan: null }] } });
    const jsonl = parseScoringBody(bytes(`${JSON.stringify(good)}\n${JSON.stringify({ ...good, id: 8 })}\n`), undefined);
    expect(jsonl.ok && jsonl.value.kind === 'rows' && jsonl.value.format === 'jsonl' && jsonl.value.rows.length).toBe(2);
    expect(parseScoringBody(bytes('{"entities":["a",12]}'), 'application/json')).toEqual({ ok: true, value: { kind: 'entities', entities: ['a', '12'] } });
  });

  it('refuses empty bodies, no rows and more rows than the limit', () => {
    const empty = parseScoringBody(bytes('  \n'), 'application/json');
    expect(!empty.ok && empty.error.problems[0].rule).toBe('body');
    const none = parseScoringBody(bytes('{"rows":[]}'), 'application/json');
    expect(!none.ok && none.error.problems[0].rule).toBe('row-count');
    const many = parseScoringBody(bytes(JSON.stringify({ rows: Array.from({ length: MAX_ROWS_PER_REQUEST + 1 }, () => good) })), 'application/json');
    expect(!many.ok && many.error.message).toContain(`${MAX_ROWS_PER_REQUEST + 1} rows, more than the limit of ${MAX_ROWS_PER_REQUEST}`);
    const csvHeaderOnly = parseScoringBody(bytes('id,age\n'), 'text/csv');
    expect(!csvHeaderOnly.ok && csvHeaderOnly.error.problems[0].rule).toBe('row-count');
  });

  it('names the field or row of malformed bodies', () => {
    const notJson = parseScoringBody(bytes('{"rows": ['), 'application/json');
    expect(!notJson.ok && notJson.error.problems[0].rule).toBe('json');
    const both = parseScoringBody(bytes('{"rows":[{}],"entities":["a"]}'), 'application/json');
    expect(!both.ok && both.error.message).toContain('not both');
    const stray = parseScoringBody(bytes('{"rows":[{}],"limit":3}'), 'application/json');
    expect(!stray.ok && stray.error.message).toContain('"limit"');
    const notObject = parseScoringBody(bytes('{"rows":[{"age":1}, 5]}'), 'application/json');
    expect(!notObject.ok && notObject.error.problems[0]).toMatchObject({ rule: 'json', row: 1 });
    const fields = parseScoringBody(bytes('id,age\n1,2\n3\n'), 'text/csv');
    expect(!fields.ok && fields.error.problems[0]).toMatchObject({ rule: 'field-count', row: 1 });
    const twice = parseScoringBody(bytes('age,age\n1,2\n'), 'text/csv');
    expect(!twice.ok && twice.error.problems[0]).toMatchObject({ rule: 'body', column: 'age' });
    const badLine = parseScoringBody(bytes('{"age":1}\n[1]\n'), 'application/x-ndjson');
    expect(!badLine.ok && badLine.error.problems[0]).toMatchObject({ rule: 'json', row: 1 });
  });
});

describe('checkScoringRows', () => {
  it('types values from JSON and CSV alike and names each row entity by its key', () => {
    const checked = checkScoringRows(schema, [good, { id: '8', age: ' 3.5 ', autopay: 'no', signup: '2021-03-04T10:00:00Z', plan: 'gold', email: 'a@b.c' }]);
    expect(checked).toEqual({
      ok: true,
      value: {
        rows: [
          { id: 7, age: 41, autopay: true, signup: '2021-03-04', plan: 'pro' },
          { id: '8', age: 3.5, autopay: false, signup: '2021-03-04T10:00:00.000Z', plan: 'gold', email: 'a@b.c' },
        ],
        entities: ['7', '8'],
      },
    });
  });

  it('uses the entity header for rows without a key and nothing when neither exists', () => {
    const { id: _id, ...keyless } = good;
    const withHeader = checkScoringRows(schema, [keyless, good], 'customer-9');
    expect(withHeader.ok && withHeader.value.entities).toEqual(['customer-9', '7']);
    const without = checkScoringRows(schema, [keyless]);
    expect(without.ok && without.value.entities).toEqual([undefined]);
  });

  it('reports a missing, unknown or mistyped column with its row and column, and scores nothing', () => {
    const result = checkScoringRows(schema, [good, { ...good, age: 'old' }, { ...good, plan: undefined, colour: 'red' }, { ...good, autopay: 2, signup: '2021-02-30' }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.total).toBe(5);
    expect(result.error.problems.map((p) => [p.rule, p.row, p.column])).toEqual([
      ['type', 1, 'age'],
      ['missing-column', 2, 'plan'],
      ['unknown-column', 2, 'colour'],
      ['type', 3, 'autopay'],
      ['type', 3, 'signup'],
    ]);
    expect(result.error.message).toBe('nothing was scored: row 1, column "age": "old" is not a finite number (type); 4 more problems');
  });

  it('accepts null for a missing value and the dropped PII column, refuses nested values', () => {
    const ok = checkScoringRows(schema, [{ ...good, age: null, phone: '555' }]);
    expect(ok.ok && ok.value.rows[0]).toMatchObject({ age: null, phone: '555' });
    const nested = checkScoringRows(schema, [{ ...good, plan: { name: 'pro' } }]);
    expect(!nested.ok && nested.error.problems[0]).toMatchObject({ rule: 'type', column: 'plan' });
  });

  it('lists at most MAX_LISTED_PROBLEMS problems but counts all', () => {
    const rows = Array.from({ length: MAX_LISTED_PROBLEMS + 5 }, () => ({ ...good, age: 'x' }));
    const result = checkScoringRows(schema, rows);
    expect(!result.ok && [result.error.problems.length, result.error.total]).toEqual([MAX_LISTED_PROBLEMS, MAX_LISTED_PROBLEMS + 5]);
  });
});
