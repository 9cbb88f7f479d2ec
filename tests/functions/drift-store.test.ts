import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzuriteHandle, startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { DriftStore } from '../../src/Dps.Functions/storage/drift-store';

interface State {
  model: string;
  rows: number;
  applied: string[];
}
interface Window {
  index: number;
  rows: number;
}

let azurite: AzuriteHandle;
let table: TableClient;

beforeAll(async () => {
  azurite = await startAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'drifttest', { allowInsecureConnection: true });
  await table.createTable();
});
afterAll(async () => {
  await azurite?.stop();
});

describe('drift store', () => {
  it('merges concurrent updates of one monitor under its ETag: no update is lost, windows commit with their state', async () => {
    const store = new DriftStore<State, Window>(async () => table);
    // Eight "instances" each add their batch at once; conflicts re-read and re-apply.
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.update('m', (current) => {
      const rows = (current?.rows ?? 0) + 10;
      const state: State = { model: 'm', rows, applied: [...(current?.applied ?? []), `batch-${i}`] };
      // Every 20 rows closes a window, committed in the same transaction as the state.
      const windows = rows % 20 === 0 ? [{ index: rows / 20 - 1, rows: 20 }] : [];
      return { state, windows, result: rows };
    })));
    const state = await store.monitor('m');
    expect(state?.rows).toBe(80);
    expect([...(state?.applied ?? [])].sort()).toEqual(Array.from({ length: 8 }, (_, i) => `batch-${i}`).sort());
    expect((await store.windows('m')).map((w) => w.index)).toEqual([0, 1, 2, 3]);
    expect((await store.windows('m', 2)).map((w) => w.index)).toEqual([2, 3]);
  });

  it('writes nothing when the update says so, keeps models apart, and lists the monitored models', async () => {
    const store = new DriftStore<State, Window>(async () => table);
    expect(await store.update('other', () => undefined)).toBeUndefined();
    expect(await store.monitor('other')).toBeUndefined();
    expect(await store.windows('other')).toEqual([]);
    // The window-closing timer visits the models that have a monitor: 'm' from the test above.
    expect(await store.models()).toEqual(['m']);
  });
});
