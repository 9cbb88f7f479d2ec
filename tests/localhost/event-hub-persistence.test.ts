import { odata, TableClient } from '@azure/data-tables';
import { afterAll, expect, it } from 'vitest';
import { probe } from './fixtures/probe';
import { eventually, startTestHost } from './fixtures/start-test-host';
import { AzuriteHandle, startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { EventHubBroker } from '../../src/Dps.LocalHost/triggers/event-hub-broker';
import { createMemoryLogger } from '../../src/Dps.LocalHost/worker/host-logger';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';

let storage: AzuriteHandle | undefined;
let host: LocalHost | undefined;

afterAll(async () => {
  await host?.stop();
  await storage?.stop();
});

async function rowKeys(table: TableClient, partition: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${partition}` } })) keys.push(String(row.rowKey));
  return keys;
}

it('deletes consumed events, and delivers events published while no host was reading after a restart', async () => {
  storage = await startAzurite();
  const table = TableClient.fromConnectionString(storage.connectionString, 'LocalHostEventHubs', { allowInsecureConnection: true });
  const first = (await startTestHost({ storageConnectionString: storage.connectionString })).host;
  await fetch(`${first.baseUrl}/api/emit/3`, { method: 'POST' });
  await eventually(() => probe.hubBatches.find((b) => b.length === 3));
  await eventually(async () => ((await rowKeys(table, 'audit')).length === 0 ? true : undefined));
  await first.stop();

  const offline = await EventHubBroker.open(storage.connectionString, 'LocalHostEventHubs', createMemoryLogger());
  await offline.start();
  await offline.publish('audit', [{ late: 1 }, { late: 2 }]);
  expect(await rowKeys(table, 'audit')).toEqual(['000000000003', '000000000004']);

  host = (await startTestHost({ storageConnectionString: storage.connectionString })).host;
  const late = await eventually(() => probe.hubBatches.find((b) => JSON.stringify(b).includes('late')));
  expect(late).toEqual([{ late: 1 }, { late: 2 }]);
});

it('drains its consumers when it stops: what was published is delivered and checkpointed before storage goes away', async () => {
  const own = await startAzurite();
  try {
    const table = TableClient.fromConnectionString(own.connectionString, 'LocalHostEventHubs', { allowInsecureConnection: true });
    const draining = (await startTestHost({ storageConnectionString: own.connectionString })).host;
    const before = probe.hubBatches.flat().length;
    for (const n of [4, 5, 6]) expect((await fetch(`${draining.baseUrl}/api/emit/${n}`, { method: 'POST' })).status).toBe(202);
    await draining.stop();
    expect(probe.hubBatches.flat().length - before).toBe(15);
    await eventually(async () => ((await rowKeys(table, 'audit')).length === 0 ? true : undefined));
  } finally {
    await own.stop();
  }
});
