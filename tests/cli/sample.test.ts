import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContract } from '../../src/Dps.Domain/data/contract-schema';
import { cliWorkspace } from './data-harness';

const ws = cliWorkspace();

describe('dps sample', () => {
  it('writes CSV to stdout, reproducibly', async () => {
    const a = await ws.run('sample', '--rows', '20', '--seed', '4');
    const b = await ws.run('sample', '--rows', '20', '--seed', '4');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(21);
    expect(lines[0]).toBe('customer_id,email,signup_date,age,income,plan,region,autopay,support_calls,tenure_months,churned');
  });

  it('writes a file and its contract, which validates it', async () => {
    const out = await ws.run('sample', '--rows', '500', '--drift', '0.7', '--out', 's.csv', '--contract-out', 's.contract.json');
    expect(out).toEqual({ code: 0, stdout: '', stderr: 'dps sample: wrote 500 rows to s.csv and the contract to s.contract.json\n' });
    const contract = parseContract(JSON.parse(readFileSync(path.join(ws.dir, 's.contract.json'), 'utf8')));
    expect(contract.ok && contract.value.label).toEqual({ column: 'churned', task: 'binary', positiveClass: 'yes' });
    const check = await ws.run('validate', '--data', 's.csv', '--contract', 's.contract.json');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('rows: 500 read, 500 accepted, 0 quarantined, 0 duplicates');
  });

  it.each([
    [['--rows', 'many'], "dps sample: --rows must be a number (got 'many')\n"],
    [['--rows', '5', '--drift', '2'], 'dps sample: drift must be between 0 and 1 (got 2)\n'],
    [[], 'dps sample: missing required option --rows\n'],
  ])('rejects bad options %j with one line', async (argv, message) => {
    expect(await ws.run('sample', ...argv)).toEqual({ code: 1, stdout: '', stderr: message });
  });
});
