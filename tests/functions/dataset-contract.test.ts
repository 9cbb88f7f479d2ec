import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from './fixtures/app-host';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.host.stop();
});

const contract = (dataset: string, column: string) => JSON.stringify({ contractVersion: 1, dataset, columns: [{ name: column, type: 'integer' }] });

it('gives contracts stored at the same time their own revisions, the newest one current', async () => {
  const puts = await Promise.all(['a', 'b', 'c', 'd'].map((column) => app.call('PUT', 'datasets/raced/contract', contract('raced', column))));
  const stored = await Promise.all(puts.map((res) => res.json()));
  expect(puts.map((res) => res.status)).toEqual([200, 200, 200, 200]);
  expect(stored.map((s) => s.revision).sort()).toEqual([1, 2, 3, 4]);
  const current = await (await app.call('GET', 'datasets/raced/contract')).json();
  expect(current.revision).toBe(4);
  expect(current.contract.columns[0].name).toBe(stored.find((s) => s.revision === 4).contract.columns[0].name);
});
