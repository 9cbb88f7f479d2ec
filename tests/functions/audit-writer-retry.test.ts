import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditStore, openAuditStore } from '../../src/Dps.Functions/storage/audit-store';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { readSettings } from '../../src/Dps.Functions/settings';
import { eventually, startApp } from './fixtures/app-host';

// Its own host: the test takes the audit table away, which the chain tests must never see.
let app: Awaited<ReturnType<typeof startApp>>;
let store: AuditStore;

const event = (id: string) => ({ id, who: 'tester', what: 'test.decision', when: '2026-01-01T00:00:00.000Z', where: { function: 'test' }, outcome: 'accepted', why: 'retry test', subjects: ['s1'] });
const writerRuns = (outcome: 'succeeded' | 'failed') => app.logger.entries.filter((e) => e.functionName === 'auditWriter' && e.outcome === outcome).length;

beforeAll(async () => {
  app = await startApp();
  store = await openAuditStore(createStorageClients({ connectionString: app.host.connectionString }), readSettings());
});
afterAll(async () => {
  await app?.host.stop();
});

it('retries a batch whose append failed on storage until it is chained, once, instead of checkpointing past it', async () => {
  // A first batch opens the writer's store, so the failure below is the append's, not the opening's.
  await app.host.broker.publish('audit', [event('warm-up')]);
  await eventually(async () => (writerRuns('succeeded') > 0 ? true : undefined));

  await store.chain.table.deleteTable();
  await app.host.broker.publish('audit', [event('kept')]);
  await eventually(async () => (writerRuns('failed') > 0 ? true : undefined));

  // Storage is back: a retry of the same batch, not a later one, must chain the event.
  await store.chain.table.createTable();
  await eventually(async () => (app.logger.entries.filter((e) => e.functionName === 'auditWriter').at(-1)?.outcome === 'succeeded' ? true : undefined));
  expect((await store.chain.readChain()).records.map((r) => r.eventId)).toEqual(['kept']);
});
