import { describe, expect, it } from 'vitest';
import { startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { compilePattern } from '../../../src/Dps.Domain/data/contract-pattern';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';

// Classic catastrophic-backtracking patterns with inputs that make a backtracking engine run for
// longer than the universe has existed (each input ends in a character the pattern cannot match).
// If matching were not linear this test would never finish; there is no clock in it.
const CATASTROPHIC: Array<[string, string]> = [
  ['(a+)+', 'a'.repeat(50_000) + '!'],
  ['(a|aa)+', 'a'.repeat(50_000) + '!'],
  ['(a|a?)+', 'a'.repeat(50_000) + '!'],
  ['(.*a){20}', 'a'.repeat(5_000) + '!'],
  ['([a-zA-Z]+)*', 'abc'.repeat(20_000) + '1'],
  ['(x+x+)+y', 'x'.repeat(50_000)],
  ['(\\w+\\s?)*', 'word '.repeat(10_000) + '!'],
  ['([^@\\s]+)+@([^@\\s]+\\.)+[a-z]+', 'a'.repeat(50_000)],
];

function contractWith(pattern: string) {
  return parseContract({ contractVersion: 1, dataset: 'probe', columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'text', type: 'string', pattern }] });
}

describe('contract patterns', () => {
  it.each(CATASTROPHIC)('match %s in linear time: a long hostile value is simply quarantined', (pattern, hostile) => {
    const contract = contractWith(pattern);
    if (!contract.ok) throw new Error(contract.error.join('\n'));
    const started = startBatchValidation({ contract: contract.value, piiSalt: 's', source: 'probe.csv' });
    if (!started.ok) throw new Error(started.error);
    const rows = Array.from({ length: 3 }, (_, i) => `${i + 1},${hostile}`).join('\n');
    const out = started.value.push(new TextEncoder().encode(`id,text\n${rows}\n`));
    const last = started.value.end();
    const quarantined = [...out.quarantined, ...last.quarantined];
    expect(last.report.rows).toMatchObject({ read: 3, quarantined: 3, accepted: 0 });
    expect(quarantined.map((q) => q.errors.map((e) => e.rule))).toEqual([['pattern'], ['pattern'], ['pattern']]);
  });

  it('still matches what the patterns describe, against the whole value', () => {
    const email = compilePattern('[^@\\s]+@[^@\\s]+');
    expect(email.ok && ['a@b.org', 'a@b', ' a@b', 'a@b@c', 'xa@b.org\n'].map((t) => email.value.matches(t))).toEqual([true, true, false, false, false]);
    const alternation = compilePattern('cat|dog');
    expect(alternation.ok && ['cat', 'dog', 'catdog', 'cats'].map((t) => alternation.value.matches(t))).toEqual([true, true, false, false]);
    const code = compilePattern('[A-Z]{2}\\d{4}');
    expect(code.ok && ['AB1234', 'AB123', 'ab1234', 'ÄB1234'].map((t) => code.value.matches(t))).toEqual([true, false, false, false]);
  });

  it.each([
    ['(a)\\1', 'invalid escape sequence'],
    ['(?=a)a', 'unsupported Perl syntax'],
    ['(?!a)b', 'unsupported Perl syntax'],
    ['(?<=a)b', 'invalid named capture'],
    ['a{1001}', 'invalid repeat count'],
    ['((a{100}){100}){100}', 'invalid repeat count'],
    ['(', 'missing closing )'],
  ])('refuses %s at contract parse, naming the column, the pattern and why', (pattern, why) => {
    const contract = contractWith(pattern);
    expect(contract.ok).toBe(false);
    if (contract.ok) return;
    expect(contract.error).toHaveLength(1);
    expect(contract.error[0]).toContain('$.columns[1].pattern: is not a valid regular expression');
    expect(contract.error[0]).toContain(JSON.stringify(pattern));
    expect(contract.error[0]).toContain(why);
  });
});
