import { describe, expect, it } from 'vitest';
import { cliWorkspace } from './data-harness';

const ws = cliWorkspace();
const rows = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}|${i % 3 === 0 ? 'gold' : 'silver'}|${(i * 1.5).toFixed(1)}|${i % 4 === 0 ? 'yes' : 'no'}`);

describe('dps contract infer', () => {
  it('prints the inferred contract and review notes', async () => {
    ws.write('t.csv', ['id|tier|score|bought', ...rows(40)].join('\n'));
    const r = await ws.run('contract', 'infer', '--data', 't.csv', '--label', 'bought');
    expect(r.code).toBe(0);
    const contract = JSON.parse(r.stdout);
    expect(contract).toMatchObject({ dataset: 't', format: { delimiter: '|', header: true }, primaryKey: ['id'] });
    expect(contract.columns.map((c: { type: string }) => c.type)).toEqual(['integer', 'category', 'number', 'boolean']);
    expect(contract.label).toEqual({ column: 'bought', task: 'binary', positiveClass: true });
    expect(r.stderr).toContain('note: primary key: id');
  });

  it('takes --columns for a file without a header', async () => {
    ws.write('nohead.csv', '1,a\n2,b\n3,a\n');
    const r = await ws.run('contract', 'infer', '--data', 'nohead.csv', '--columns', 'n,s', '--dataset', 'plain');
    expect(JSON.parse(r.stdout)).toMatchObject({ dataset: 'plain', format: { header: false }, columns: [{ name: 'n' }, { name: 's' }] });
  });

  it('reads gzip and JSON Lines', async () => {
    const { gzipSync } = await import('node:zlib');
    ws.write('j.jsonl.gz', gzipSync('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n'));
    const r = await ws.run('contract', 'infer', '--data', 'j.jsonl.gz');
    expect(JSON.parse(r.stdout)).toMatchObject({ dataset: 'j', format: { type: 'jsonl' }, columns: [{ name: 'a', type: 'integer' }, { name: 'b' }] });
  });

  it.each([
    ['empty.csv', '', 2, 'dps contract infer: rejected: header: the input is empty (no header line and no rows) (empty.csv)\n'],
    ['dup.csv', 'a,b,a\n1,2,3\n', 2, "dps contract infer: rejected: duplicate-column: column 'a' appears more than once in the header (dup.csv)\n"],
  ])('rejects %s with a one-line reason', async (name, content, code, stderr) => {
    ws.write(name, content);
    expect(await ws.run('contract', 'infer', '--data', name)).toEqual({ code, stdout: '', stderr });
  });

  it('treats a bad --label or a missing file as a usage error', async () => {
    ws.write('l.csv', 'a,b\n1,2\n');
    expect(await ws.run('contract', 'infer', '--data', 'l.csv', '--label', 'c')).toEqual({ code: 1, stdout: '', stderr: "dps contract infer: --label: no column 'c' (columns: a, b)\n" });
    const missing = await ws.run('contract', 'infer', '--data', 'nope.csv');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("dps contract infer: error: cannot read 'nope.csv': no such file\n");
  });
});
