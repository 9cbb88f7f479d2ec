import { describe, expect, it } from 'vitest';
import { hashPii } from '../../../src/Dps.Domain/data/accepted-row';
import { BatchValidation, startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';
import type { DataContract } from '../../../src/Dps.Domain/data/contract-types';
import type { BatchOutput } from '../../../src/Dps.Domain/data/validation-report';

// What quarantine keeps of a row's text under the contract's `quarantine.rawText` (issue 15 item 10).
function contract(overrides: Record<string, unknown> = {}, maxAge = 120): DataContract {
  const result = parseContract({
    contractVersion: 1,
    dataset: 'people',
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'age', type: 'integer', max: maxAge },
      { name: 'email', type: 'string', pii: 'hash', trim: true, pattern: '[^@]+@[^@]+' },
      { name: 'phone', type: 'string', pii: 'drop' },
    ],
    primaryKey: ['id'],
    ...overrides,
  });
  if (!result.ok) throw new Error(result.error.join('\n'));
  return result.value;
}

function start(c: DataContract): BatchValidation {
  const started = startBatchValidation({ contract: c, piiSalt: 'salt', source: 'people.csv' });
  if (!started.ok) throw new Error(started.error);
  return started.value;
}

function run(c: DataContract, text: string): BatchOutput {
  const v = start(c);
  const out = v.push(new TextEncoder().encode(text));
  const end = v.end();
  return { accepted: [...out.accepted, ...end.accepted], quarantined: [...out.quarantined, ...end.quarantined], duplicates: [...out.duplicates, ...end.duplicates] };
}

const ROWS = 'id,age,email,phone\n1,200, c@x.org ,555-1234\n2,30,not-an-email,555-9999\n3,30\n4,40,,\n';

describe('quarantined texts', () => {
  it('hashes PII values as silver does by default, withholds a row it cannot split, and quotes no PII value in messages', () => {
    const [range, pattern, short] = run(contract(), ROWS).quarantined;
    expect(range).toMatchObject({ row: 1, text: `1,200,${hashPii('salt', 'c@x.org')},${hashPii('salt', '555-1234')}`, piiHashed: true });
    expect(range.errors).toEqual([{ rule: 'range', column: 'age', message: '200 is above max 120' }]);
    expect(pattern.text).not.toContain('not-an-email');
    expect(pattern.errors).toEqual([{ rule: 'pattern', column: 'email', message: "breaks the pattern rule (the value is not shown: column 'email' is PII)" }]);
    expect(short).toMatchObject({ row: 3, text: '', textWithheld: true, errors: [{ rule: 'field-count' }] });
  });

  it('finds PII fields by header name, in any column order, and leaves missing values as written', () => {
    const [row] = run(contract(), 'email,phone,age,id\na@x.org,,300,9\n').quarantined;
    expect(row.text).toBe(`${hashPii('salt', 'a@x.org')},,300,9`);
  });

  it('keeps the text as it arrived with rawText keep, or when the contract has no PII columns', () => {
    expect(run(contract({ quarantine: { rawText: 'keep' } }), ROWS).quarantined.map((q) => q.text)).toEqual(['1,200, c@x.org ,555-1234', '2,30,not-an-email,555-9999', '3,30']);
    const plain = contract();
    plain.columns = plain.columns.map((c) => ({ ...c, pii: undefined }));
    expect(run(plain, ROWS).quarantined[0]).toEqual({ row: 1, line: 2, text: '1,200, c@x.org ,555-1234', errors: [expect.objectContaining({ rule: 'range' })] });
  });

  it('refuses a contract with another rawText, naming the field', () => {
    const result = parseContract({ contractVersion: 1, dataset: 'p', columns: [{ name: 'a', type: 'string' }], quarantine: { rawText: 'plain' } });
    expect(result.ok ? [] : result.error).toEqual(['$.quarantine.rawText: must be one of "keep", "pii-hashed" (got "plain")']);
  });
});

describe('replaying PII-hashed texts', () => {
  it('accepts a fixed row without checking or hashing its PII again: silver gets the same values as from the raw row', () => {
    const [range] = run(contract(), ROWS).quarantined;
    const replay = start(contract({}, 300));
    replay.push(new TextEncoder().encode('id,age,email,phone\n'));
    const out = replay.pushRecord(range.text, { piiHashed: true });
    const fromRaw = run(contract({}, 300), 'id,age,email,phone\n1,200, c@x.org ,555-1234\n').accepted;
    expect(out.accepted.map((a) => a.values)).toEqual(fromRaw.map((a) => a.values));
    expect(out.accepted[0].values).toEqual([1, 200, hashPii('salt', 'c@x.org')]);
  });

  it('quarantines again, keeping the hashed text, a row still broken or one it refuses; every row is counted', () => {
    const [range, pattern] = run(contract(), ROWS).quarantined;
    const replay = start(contract());
    replay.push(new TextEncoder().encode('id,age,email,phone\n'));
    const again = replay.pushRecord(range.text, { piiHashed: true }).quarantined;
    const refused = replay.pushRecord(pattern.text, { piiHashed: true, refused: { rule: 'replay', column: 'email', message: 'cannot be replayed' } }).quarantined;
    const withheld = replay.pushRecord('', { refused: { rule: 'replay', message: 'cannot be replayed' } }).quarantined;
    expect(again).toEqual([expect.objectContaining({ text: range.text, piiHashed: true, errors: [expect.objectContaining({ rule: 'range' })] })]);
    expect(refused).toEqual([{ row: 2, line: 2, text: pattern.text, piiHashed: true, errors: [{ rule: 'replay', column: 'email', message: 'cannot be replayed' }] }]);
    expect(withheld).toEqual([{ row: 3, line: 3, text: '', textWithheld: true, errors: [{ rule: 'replay', message: 'cannot be replayed' }] }]);
    expect(replay.end().report.rows).toEqual({ read: 3, accepted: 0, quarantined: 3, duplicates: 0 });
  });
});
