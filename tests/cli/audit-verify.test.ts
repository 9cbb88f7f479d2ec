import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { appendAuditEvents } from '../../src/Dps.Functions/audit/chain-appender';
import { canonicalJson } from '../../src/Dps.Domain/audit/canonical-json';
import { chainHash } from '../../src/Dps.Domain/audit/chain-record';
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

type Store = Awaited<ReturnType<typeof openAuditStore>>;

/** What the audit writer does with a batch: chain it, copy it to the segments, anchor the head. */
async function record(store: Store, ids: string[]): Promise<void> {
  const outcome = await appendAuditEvents(store.chain, ids.map(event));
  await store.segments.sync();
  await store.anchors.write(outcome.head, '2026-01-01T00:00:00.000Z');
}

const row = (seq: number) => `r-${String(seq).padStart(12, '0')}`;

/** Deletes chain rows (records, their id index rows, the head) whose row keys pass `which`. */
async function deleteRows(store: Store, which: (rowKey: string) => boolean): Promise<void> {
  for await (const entity of store.chain.table.listEntities({ queryOptions: { filter: "PartitionKey eq 'chain'" } })) {
    if (which(entity.rowKey!)) await store.chain.table.deleteEntity('chain', entity.rowKey!);
  }
}

/** Sets the head row, as a tamperer covering their tracks would. */
async function setHead(store: Store, seq: number, hash: string): Promise<void> {
  await store.chain.table.upsertEntity({ partitionKey: 'chain', rowKey: 'head', seq, hash }, 'Replace');
}

/** A fresh state with the chain e1..e5 written as the writer writes it; then `tamper` runs on it. */
async function tampered(tamper: (store: Store) => Promise<void>): Promise<Awaited<ReturnType<typeof cli.run>>> {
  await withState(async (store) => {
    await deleteRows(store, () => true);
    for await (const blob of store.segments['container'].listBlobsFlat({ prefix: 'chain/' })) await store.segments['container'].deleteBlob(blob.name);
    await record(store, ['e1', 'e2', 'e3']);
    await record(store, ['e4', 'e5']);
    await tamper(store);
  });
  return cli.run('audit', 'verify', '--state', 'state', '--json');
}

describe('dps audit verify', () => {
  it('says so when there is no local state', async () => {
    const run = await cli.run('audit', 'verify', '--state', 'nowhere');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`dps audit verify: no local state in ${path.join(cli.dir, 'nowhere')}: run npm start (or pass --state DIR)\n`);
  });

  it('verifies an intact chain: exit 0, as text or JSON', async () => {
    await withState(async (store) => {
      await record(store, ['e1', 'e2', 'e3']);
    });
    const json = await cli.run('audit', 'verify', '--state', 'state', '--json');
    expect(json).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, length: 3, head: expect.stringMatching(/^[0-9a-f]{64}$/), headSeq: 3, segments: { records: 3, pending: 0 }, anchors: { count: 1, latestSeq: 3 } });
    const text = await cli.run('audit', 'verify', '--state', 'state');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^audit chain ok: 3 records, head seq 3 hash [0-9a-f]{64}; 3 in append-only segments, 1 anchored head\(s\) up to seq 3\n$/);
  });

  it('names the first broken record on one line and exits 2', async () => {
    await withState(async (store) => {
      const row = await store.chain.table.getEntity<Record<string, unknown>>('chain', 'r-000000000002');
      await store.chain.table.updateEntity({ partitionKey: 'chain', rowKey: row.rowKey, event: String(row.event).replace('a reason', 'another reason') }, 'Merge');
    });
    const run = await cli.run('audit', 'verify', '--state', 'state');
    expect(run).toEqual({ code: 2, stdout: '', stderr: "dps audit verify: rewritten (found by the segments): chain broken at record 2 (event 'e2'): record 2 differs from its append-only copy in chain/segment-000001.jsonl (rewritten after it was written)\n" });
  });

  it('catches records cut off with the head moved back', async () => {
    const run = await tampered(async (store) => {
      const [second] = await store.chain.readRecords(2, 2);
      await deleteRows(store, (key) => key >= row(3) && key.startsWith('r-'));
      await setHead(store, 2, second.hash);
    });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false, tampering: 'truncated', detectedBy: 'segments', brokenAt: 3,
      reason: 'the chain ends at seq 2, but the append-only segments hold records up to seq 5 (records removed and the head moved back)',
      findings: ['segments: the chain ends at seq 2, but the append-only segments hold records up to seq 5 (records removed and the head moved back)', expect.stringMatching(/^anchors: the head was anchored at seq 3 .* ends at seq 2/)],
    });
  });

  it('catches a suffix rewritten, re-hashed and the head updated', async () => {
    const run = await tampered(async (store) => {
      let prev = (await store.chain.readRecords(3, 3))[0].prevHash;
      for (const record of await store.chain.readRecords(3, 5)) {
        const changed = { ...record.event, why: 'a convenient reason' };
        const text = canonicalJson(changed);
        if (!text.ok) throw new Error(text.error);
        const hash = chainHash(prev, text.value);
        await store.chain.table.updateEntity({ partitionKey: 'chain', rowKey: row(record.seq), seq: record.seq, eventId: record.eventId, prevHash: prev, hash, event: text.value }, 'Replace');
        prev = hash;
      }
      await setHead(store, 5, prev);
    });
    expect(run.code).toBe(2);
    const verdict = JSON.parse(run.stdout);
    expect(verdict).toMatchObject({ ok: false, tampering: 'rewritten', detectedBy: 'segments', brokenAt: 3, eventId: 'e3' });
    expect(verdict.findings).toEqual([expect.stringMatching(/^segments: record 3 differs/), expect.stringMatching(/^anchors: record 3 hashes to .* \(records rewritten and re-hashed\)$/)]);
  });

  it('catches every record and the head wiped, by the segments and by the anchors alone', async () => {
    const wiped = await tampered((store) => deleteRows(store, (key) => key.startsWith('r-') || key.startsWith('e-') || key === 'head'));
    expect(wiped.code).toBe(2);
    expect(JSON.parse(wiped.stdout)).toMatchObject({ ok: false, tampering: 'wiped', detectedBy: 'segments', reason: 'the chain table holds no records, but the append-only segments hold 5 (records and head wiped)' });
    const alsoSegments = await tampered(async (store) => {
      await deleteRows(store, () => true);
      for await (const blob of store.segments['container'].listBlobsFlat({ prefix: 'chain/segment-' })) await store.segments['container'].deleteBlob(blob.name);
    });
    expect(JSON.parse(alsoSegments.stdout)).toMatchObject({ ok: false, tampering: 'wiped', detectedBy: 'anchors' });
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
