import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './data-harness';

const ws = cliWorkspace();

const CONTRACT = {
  contractVersion: 1,
  dataset: 'shop',
  missingValues: ['', 'NA'],
  columns: [
    { name: 'x', type: 'integer', min: 0, max: 9 },
    { name: 'plan', type: 'category', values: ['a', 'b'] },
    { name: 'email', type: 'string', pii: 'hash' },
  ],
};
ws.write('shop.contract.json', JSON.stringify(CONTRACT));

const csv = (rows: string[]) => ['x,plan,email', ...rows].join('\n') + '\n';
// Reference: x = 1,1,1,1,2..7 (four identical rows: repeats count), plan a x6, b x4.
ws.write('ref.csv', csv([...Array(4).fill('1,a,p@q.r'), '2,a,s@t.u', '3,a,s@t.u', '4,b,s@t.u', '5,b,s@t.u', '6,b,s@t.u', '7,b,s@t.u']));
// Current: x = 6..15 (above the contract's max: drift, not a rejection), plan a x2, b x8.
ws.write('cur.csv', csv(Array.from({ length: 10 }, (_, i) => `${6 + i},${i < 2 ? 'a' : 'b'},m${i}@n.o`)));

describe('dps drift', () => {
  it('prints one JSON object whose scores equal scipy on the same columns, duplicates and out-of-range values kept', async () => {
    const r = await ws.run('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--contract', 'shop.contract.json', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.rows).toEqual({ reference: 10, current: 10 });
    expect(out.ignored).toEqual([{ name: 'email', why: 'PII (hash)' }]);
    const byName = Object.fromEntries(out.features.map((f: { name: string }) => [f.name, f]));
    expect(Object.keys(byName)).toEqual(['x', 'plan']);
    // scipy.stats.ks_2samp([1,1,1,1,2,3,4,5,6,7], range(6,16)): D 0.8, p 0.002056766762649115
    expect(byName.x).toMatchObject({ method: 'ks', threshold: 0.05, drift: true });
    expect(byName.x.statistic).toBeCloseTo(0.8, 12);
    expect(byName.x.score).toBeCloseTo(0.002056766762649115, 9);
    // scipy.stats.chisquare([2, 8], [6, 4]): p 0.009823274507519247
    expect(byName.plan).toMatchObject({ method: 'chisquare', drift: true });
    expect(byName.plan.score).toBeCloseTo(0.009823274507519247, 9);
    for (const f of out.features) expect(f.psi).toBeGreaterThan(0.25);
    expect(out).toMatchObject({ datasetDrift: true, share: 1 });
  });

  it('finds no drift between two samples of one distribution and drift in `dps sample --drift 0.8`', async () => {
    await ws.run('sample', '--rows', '3000', '--seed', '1', '--out', 'a.csv');
    await ws.run('sample', '--rows', '3000', '--seed', '2', '--out', 'b.csv');
    await ws.run('sample', '--rows', '3000', '--seed', '3', '--drift', '0.8', '--out', 'drifted.csv');
    const same = JSON.parse((await ws.run('drift', '--reference', 'a.csv', '--current', 'b.csv', '--json')).stdout);
    expect(same.datasetDrift).toBe(false);
    expect(same.features.filter((f: { drift: boolean }) => f.drift)).toEqual([]);
    const drifted = await ws.run('drift', '--reference', 'a.csv', '--current', 'drifted.csv');
    expect(drifted.code).toBe(0);
    expect(drifted.stdout).toMatch(/^DRIFT: \d+ of \d+ columns drifted/);
    const json = JSON.parse((await ws.run('drift', '--reference', 'a.csv', '--current', 'drifted.csv', '--json')).stdout);
    const names = json.features.filter((f: { drift: boolean }) => f.drift).map((f: { name: string }) => f.name);
    expect(names).toEqual(expect.arrayContaining(['age', 'plan', 'support_calls']));
    // The key and the PII column identify rows; they are not compared.
    expect(json.features.map((f: { name: string }) => f.name)).not.toContain('customer_id');
  });

  it('applies threshold overrides from a file', async () => {
    ws.write('loose.json', JSON.stringify({ pValue: 0.001, features: { plan: { ignore: true } } }));
    const out = JSON.parse((await ws.run('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--contract', 'shop.contract.json', '--thresholds', 'loose.json', '--json')).stdout);
    expect(out.features.map((f: { name: string }) => f.name)).toEqual(['x']);
    expect(out.features[0]).toMatchObject({ threshold: 0.001, drift: false });
    ws.write('bad.json', JSON.stringify({ pValue: 2 }));
    const bad = await ws.run('drift', '--reference', 'ref.csv', '--current', 'cur.csv', '--thresholds', 'bad.json');
    expect(bad).toMatchObject({ code: 1, stdout: '' });
    expect(bad.stderr).toContain('drift.pValue must be a number from 0 to 1 (got 2)');
  });

  it('exits 1 with one line on usage and I/O errors, also with --json', async () => {
    const missing = await ws.run('drift', '--reference', 'ref.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing required option --current');
    const noFile = await ws.run('drift', '--reference', 'ref.csv', '--current', 'nope.csv', '--json');
    expect(noFile.code).toBe(1);
    expect(JSON.parse(noFile.stdout)).toMatchObject({ status: 'error' });
    expect(noFile.stderr).toContain("cannot read 'nope.csv': no such file");
    ws.write('empty.csv', 'x,plan,email\n');
    const empty = await ws.run('drift', '--reference', 'empty.csv', '--current', 'cur.csv', '--contract', 'shop.contract.json');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("reference 'empty.csv' has no data rows");
  });
});
