import type { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendAuditEvents } from '../../src/Dps.Functions/audit/chain-appender';
import { AuditChainTable, MAX_RECORDS_PER_COMMIT } from '../../src/Dps.Functions/storage/audit-chain-table';
import { FaultPlan, InjectedFault, startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;

beforeAll(async () => {
  env = await startStorage();
});
afterAll(async () => {
  await env?.azurite.stop();
});

// More events than one commit holds, so appending the batch takes three table transactions.
const events = Array.from({ length: 2 * MAX_RECORDS_PER_COMMIT + 22 }, (_, i) => ({
  id: `fault-${i}`, who: 'tester', what: 'test.decision', when: '2026-01-01T00:00:00.000Z', where: { function: 'test' }, outcome: 'accepted', why: `event ${i}`, subjects: [`s${i}`],
}));

/** The table with its `failAt`-th transaction failed once: before it is sent, or (`after`) once it was written, as when the answer is lost. */
function faultyTable(table: TableClient, failAt: number, after: boolean): TableClient {
  if (!after) return new FaultPlan(failAt).wrap('chain', table, ['submitTransaction']);
  let calls = 0;
  return new Proxy(table, {
    get: (obj, prop, receiver) => {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop !== 'submitTransaction') return value.bind(obj);
      return async (...args: unknown[]) => {
        const written = await value.apply(obj, args);
        if (++calls === failAt) throw new InjectedFault(`injected fault after write ${failAt}`);
        return written;
      };
    },
  });
}

/** Appends the batch to a new chain; the commit numbered `failAt` fails once and the batch is delivered again, as the writer's retry does. */
async function append(name: string, failAt: number, after = false) {
  const table = await env.storage.table(name);
  let failed = false;
  await appendAuditEvents(new AuditChainTable(faultyTable(table, failAt, after)), events).catch(async (error: unknown) => {
    if (!(error instanceof InjectedFault)) throw error;
    failed = true;
    const again = await appendAuditEvents(new AuditChainTable(table), events);
    expect(again.rejected).toEqual([]);
  });
  const chain = await new AuditChainTable(table).readChain();
  return { failed, head: chain.head, records: chain.records.map((r) => ({ seq: r.seq, eventId: r.eventId, hash: r.hash })) };
}

it('chains each event once, as an unfailed append does, when the batch is appended again after a failed commit', async () => {
  const clean = await append('chainfaultclean', 0);
  expect(clean.records.map((r) => r.eventId)).toEqual(events.map((e) => e.id));
  for (const failAt of [1, 2, 3]) {
    for (const after of [false, true]) {
      const faulted = await append(`chainfault${failAt}${after ? 'after' : 'before'}`, failAt, after);
      const label = `commit ${failAt} failed ${after ? 'after' : 'before'} writing`;
      expect(faulted.failed, label).toBe(true);
      expect({ head: faulted.head, records: faulted.records }, label).toEqual({ head: clean.head, records: clean.records });
    }
  }
});
