import { describe, expect, it } from 'vitest';
import { startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { inferContract, looksLikeHeader } from '../../../src/Dps.Domain/data/contract-inference';
import { createCsvParser } from '../../../src/Dps.Domain/data/csv-parser';
import { createJsonLinesParser } from '../../../src/Dps.Domain/data/jsonl-parser';
import { choosePositiveClass, inferLabel, untrainableLabel } from '../../../src/Dps.Domain/data/label-inference';
import { detectTask } from '../../../src/Dps.Domain/ml/feature-pipeline';

function csvSample(text: string) {
  const parser = createCsvParser({ delimiter: 'auto', header: false });
  const records = [...parser.push(new TextEncoder().encode(text)), ...parser.end()];
  return { records, delimiter: parser.delimiter };
}

function adultLike(rows: number): string {
  const lines = ['id;age;workclass;hours;joined;email;vip;income'];
  for (let i = 1; i <= rows; i++) {
    const work = i % 7 === 0 ? '?' : [' Private', ' State-gov', ' Self-emp'][i % 3];
    lines.push(`${i};${20 + (i % 50)};${work};${(i % 40) + 0.5};2020-01-${String((i % 28) + 1).padStart(2, '0')};u${i}@mail.org;${i % 2 ? 'yes' : 'no'};${i % 4 === 0 ? '>50K' : '<=50K'}`);
  }
  return lines.join('\n') + '\n';
}

describe('contract inference', () => {
  it('infers delimiter, header, types, missing tokens, domains, ranges, key, PII and label', () => {
    const result = inferContract(csvSample(adultLike(200)), { dataset: 'adult', label: 'income' });
    if (!result.ok) throw new Error(result.error);
    const { contract, keyCandidates } = result.value;
    expect(contract.format).toEqual({ type: 'csv', delimiter: ';', header: true, quote: '"', encoding: 'utf-8' });
    expect(contract.missingValues).toEqual(['', '?']);
    const byName = Object.fromEntries(contract.columns.map((c) => [c.name, c]));
    expect(Object.fromEntries(contract.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'integer', age: 'integer', workclass: 'category', hours: 'number', joined: 'date', email: 'string', vip: 'boolean', income: 'category',
    });
    expect(byName.workclass).toMatchObject({ trim: true, nullable: true, values: ['Private', 'Self-emp', 'State-gov'], mostly: 0.81, severity: { domain: 'warn' } });
    expect(byName.income).toMatchObject({ type: 'category', values: ['<=50K', '>50K'] });
    expect(byName.income.severity).toBeUndefined();
    expect(byName.age).toMatchObject({ min: 20, max: 69, nullable: false, severity: { range: 'warn' } });
    expect(byName.email.pii).toBe('hash');
    expect(contract.primaryKey).toEqual(['id']);
    expect(keyCandidates).toEqual(['id', 'email']);
    expect(contract.label).toEqual({ column: 'income', task: 'binary', positiveClass: '>50K' });
  });

  it('lets later rows bring category values the sample did not show, but not new label classes', () => {
    // Rows in time order: the sample (the first rows) sees only May and June.
    const row = (i: number, month: string, y = i % 3 === 0 ? 'won' : 'lost') => `${i};"${month}";"${y}"`;
    const lines = ['"id";"month";"y"', ...Array.from({ length: 40 }, (_, i) => row(i, i % 2 ? 'may' : 'jun'))];
    const inferred = inferContract(csvSample(lines.join('\n')), { dataset: 'calls', label: 'y' });
    if (!inferred.ok) throw new Error(inferred.error);
    expect(inferred.value.contract.columns[1]).toMatchObject({ type: 'category', values: ['jun', 'may'], severity: { domain: 'warn' } });
    expect(inferred.value.contract.label).toEqual({ column: 'y', task: 'binary', positiveClass: 'won' });
    const validation = startBatchValidation({ contract: inferred.value.contract, piiSalt: 's', source: 'calls.csv' });
    if (!validation.ok) throw new Error(validation.error);
    const later = [...lines, row(40, 'oct'), row(41, 'dec'), row(42, 'oct', 'maybe')].join('\n') + '\n';
    const { quarantined } = validation.value.push(new TextEncoder().encode(later));
    const { report } = validation.value.end();
    expect(report.rows).toEqual({ read: 43, accepted: 42, quarantined: 1, duplicates: 0 });
    expect(quarantined[0]).toMatchObject({ row: 43, errors: [{ rule: 'domain', column: 'y' }] });
    expect(report.warnings.find((w) => w.rule === 'domain')).toMatchObject({ column: 'month', count: 2 });
  });

  it('takes column names for a header-less file', () => {
    const result = inferContract(csvSample('1,a\n2,b\n'), { dataset: 'd', columns: ['n', 's'] });
    expect(result.ok && result.value.contract.format).toMatchObject({ header: false });
    expect(result.ok && result.value.contract.columns.map((c) => c.name)).toEqual(['n', 's']);
    expect(inferContract(csvSample('1,a\n'), { dataset: 'd', columns: ['n'] })).toEqual({ ok: false, error: 'columns: 1 names given but the rows have 2 fields' });
  });

  it('detects files without a header', () => {
    expect(looksLikeHeader(['1', '2.5', 'x'], [['2', '3', 'y'], ['3', '1', 'x']])).toBe(false);
    expect(looksLikeHeader(['id', 'score', 'name'], [['2', '3', 'y'], ['3', '1', 'x']])).toBe(true);
    // Single-letter names that also read as booleans are still names.
    expect(looksLikeHeader(['id', 'x', 'y'], [['1', '3', 'yes'], ['2', '1', 'no']])).toBe(true);
    const result = inferContract(csvSample('1,2020-01-01\n2,2020-01-02\n'), { dataset: 'd' });
    expect(result.ok && result.value.contract.columns.map((c) => c.name)).toEqual(['column_1', 'column_2']);
  });

  it('names the problem when no contract can be inferred', () => {
    expect(inferContract(csvSample(''), { dataset: 'd' })).toEqual({ ok: false, error: 'header: the input is empty (no header line and no rows)' });
    expect(inferContract(csvSample('a,b,a\n1,2,3\n'), { dataset: 'd' })).toEqual({ ok: false, error: "duplicate-column: column 'a' appears more than once in the header" });
    expect(inferContract(csvSample('a,b\n1,2\n'), { dataset: 'd', label: 'c' })).toEqual({ ok: false, error: "label: no column 'c' (columns: a, b)" });
  });

  it('infers from JSON Lines', () => {
    const parser = createJsonLinesParser();
    const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ id: i, score: i / 3, ok: i % 2 === 0, tag: i % 5 === 0 ? null : 'a' }));
    const records = [...parser.push(new TextEncoder().encode(lines.join('\n'))), ...parser.end()];
    const result = inferContract({ records }, { dataset: 'j', label: 'ok' });
    if (!result.ok) throw new Error(result.error);
    expect(result.value.contract.format).toEqual({ type: 'jsonl', encoding: 'utf-8' });
    expect(result.value.contract.columns.map((c) => `${c.name}:${c.type}:${c.nullable}`)).toEqual(['id:integer:false', 'score:number:false', 'ok:boolean:false', 'tag:category:true']);
    expect(result.value.contract.label).toEqual({ column: 'ok', task: 'binary', positiveClass: true });
  });

  it('decides the label task with the rule training uses (3..50 classes multiclass), and says why it cannot train', () => {
    const labelled = (values: string[]) => {
      const lines = ['x,label', ...values.map((v, i) => `${i},${v}`)];
      const result = inferContract(csvSample(lines.join('\n')), { dataset: 'd', label: 'label' });
      if (!result.ok) throw new Error(result.error);
      return result.value;
    };
    const ratings = labelled(Array.from({ length: 60 }, (_, i) => String((i % 5) + 1)));
    expect(ratings.contract.label).toEqual({ column: 'label', task: 'multiclass' });
    expect(ratings.labelProblem).toBeUndefined();
    // Fifteen values of a count: regression, for inference and for training alike.
    const counts = labelled(Array.from({ length: 60 }, (_, i) => String(i % 15)));
    expect(counts.contract.label).toEqual({ column: 'label', task: 'regression' });
    expect(counts.labelProblem).toBeUndefined();
    expect(counts.contract.columns[1].type).toBe('integer');
    const decided = detectTask(counts.contract, Array.from({ length: 60 }, (_, i) => i % 15));
    expect(decided.ok && decided.value.task).toBe('regression');
    const colours = labelled(Array.from({ length: 30 }, (_, i) => ['red', 'green', 'blue'][i % 3]));
    expect(colours.contract.label).toEqual({ column: 'label', task: 'multiclass' });
    expect(colours.labelProblem).toBeUndefined();
    const names = labelled(Array.from({ length: 120 }, (_, i) => `c${String(i % 60).padStart(2, '0')}`));
    expect(names.labelProblem).toBe("label 'label' has 60 classes (c00, c01, c02, c03, c04, ...), more than the 50 a multiclass model takes; raise DPS_TRAINING_MAX_CLASSES or choose another label");
    expect(labelled(['yes', 'no', 'no']).labelProblem).toBeUndefined();
    expect(inferLabel({ name: 'p', type: 'number' }, ['0.5', '1.5', '0.5'])).toEqual({ column: 'p', task: 'binary', positiveClass: 1.5 });
    expect(untrainableLabel('p', true, [])).toBe("label 'p' has 0 distinct value(s); a model needs two classes or a numeric target");
  });

  it('chooses the positive class of a binary label', () => {
    const pick = (entries: Array<[string, number]>) => choosePositiveClass(new Map(entries));
    expect(pick([['no', 10], ['yes', 90]])).toBe('yes');
    expect(pick([['0', 5], ['1', 9]])).toBe('1');
    expect(pick([['<=50K', 3], ['>50K', 1]])).toBe('>50K');
    expect(pick([['cat', 30], ['dog', 10]])).toBe('dog');
    expect(pick([['cat', 10], ['dog', 10]])).toBe('dog');
  });
});
