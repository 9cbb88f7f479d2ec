import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { appendAuditEvents } from '../../src/Dps.Functions/audit/chain-appender';
import { readSettings } from '../../src/Dps.Functions/settings';
import { startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { cliWorkspace } from './data-harness';

const cli = cliWorkspace();
const state = path.join(cli.dir, 'state');

const event = (id: string) => ({
  id, who: 'tester', what: 'test.decision', when: '2026-01-01T00:00:00.000Z', where: { function: 'test' }, outcome: 'accepted', why: 'a reason', subjects: ['s1'],
});

// Opens the state directory as `npm start` would, for one piece of work.
async function withState(work: (store: Awaited<ReturnType<typeof openAuditStore>>) => Promise<void>): Promise<void> {
  const azurite = await startAzurite(state);
  try {
    await work(await openAuditStore(createStorageClients({ connectionString: azurite.connectionString }), readSettings()));
  } finally {
    await azurite.stop();
  }
}

describe('dps audit verify', () => {
  it('says so when there is no local state', async () => {
    const run = await cli.run('audit', 'verify', '--state', 'nowhere');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`dps audit verify: no local state in ${path.join(cli.dir, 'nowhere')}: run npm start (or pass --state DIR)\n`);
  });

  it('verifies an intact chain: exit 0, as text or JSON', async () => {
    await withState(async (store) => {
      await appendAuditEvents(store.chain, [event('e1'), event('e2'), event('e3')]);
    });
    const json = await cli.run('audit', 'verify', '--state', 'state', '--json');
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, length: 3, head: expect.stringMatching(/^[0-9a-f]{64}$/), headSeq: 3 });
    const text = await cli.run('audit', 'verify', '--state', 'state');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^audit chain ok: 3 records, head seq 3 hash [0-9a-f]{64}\n$/);
  });

  it('names the first broken record on one line and exits 2', async () => {
    await withState(async (store) => {
      const row = await store.chain.table.getEntity<Record<string, unknown>>('chain', 'r-000000000002');
      await store.chain.table.updateEntity({ partitionKey: 'chain', rowKey: row.rowKey, event: String(row.event).replace('a reason', 'another reason') }, 'Merge');
    });
    const run = await cli.run('audit', 'verify', '--state', 'state');
    expect(run).toEqual({ code: 2, stdout: '', stderr: "dps audit verify: chain broken at record 2 (event 'e2'): hash does not match prevHash and event (record edited)\n" });
  });

  it('refuses a state directory another process has open', async () => {
    const azurite = await startAzurite(state);
    try {
      const run = await cli.run('audit', 'verify', '--state', 'state');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`dps audit verify: the state directory ${state} is in use by this process`);
      expect(run.stderr.split('\n')).toHaveLength(2);
    } finally {
      await azurite.stop();
    }
  });

  it('rejects unknown options', async () => {
    expect(await cli.run('audit', 'verify', '--bogus')).toMatchObject({ code: 1, stderr: 'dps audit verify: unknown option --bogus\n' });
  });
});
