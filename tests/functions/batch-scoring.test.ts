import { TableClient } from '@azure/data-tables';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blobParquetSource, readParquetRowGroups } from '../../src/Dps.Functions/storage/parquet-reader';
import { eventually, sampleCsv } from './fixtures/app-host';
import { App, post, sampleRows, startShopApp } from './fixtures/serving-fixture';

let app: App;

beforeAll(async () => {
  app = await startShopApp();
}, 120_000);
afterAll(async () => {
  await app?.host.stop();
});

async function land(name: string, text: string): Promise<void> {
  const container = app.host.storage.blobs.getContainerClient('scoring');
  await container.createIfNotExists();
  await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
}

async function goldText(name: string): Promise<string | undefined> {
  const blob = app.host.storage.blobs.getContainerClient('gold').getBlobClient(name);
  return (await blob.exists()) ? (await blob.downloadToBuffer()).toString('utf8') : undefined;
}

const jsonLines = (text: string | undefined): Record<string, any>[] => (text ?? '').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

/** The rows of a predictions Parquet file in gold, read through the app's reader, without the null columns (predict leaves those fields out). */
async function goldPredictions(name: string): Promise<Record<string, any>[]> {
  const rows: Record<string, any>[] = [];
  const source = await blobParquetSource(app.host.storage.blobs, { container: 'gold', name });
  expect(source, `gold/${name} is Parquet`).toBeDefined();
  for await (const group of readParquetRowGroups(source!)) for (const row of group) rows.push(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)));
  return rows;
}

/** Waits for the run's summary in gold/predictions/{model}/{stem}/. */
async function summaryOf(model: string, stem: string): Promise<Record<string, any>> {
  return eventually(async () => {
    const text = await goldText(`predictions/${model}/${stem}/summary.json`);
    return text ? JSON.parse(text) : undefined;
  }, 60_000);
}

describe('batch scoring', () => {
  it('scores a landed file in chunks with the champion: rows read = scored + rejected, bad rows with reasons, audited', async () => {
    const lines = sampleCsv(2500, 5).trim().split('\n');
    const age = lines[0].split(',').indexOf('age');
    const typed = lines[10].split(',');
    typed[age] = 'old';
    lines[10] = typed.join(',');
    lines[20] += ',extra';
    await land('shop/week-1.csv', lines.join('\n') + '\n');

    const summary = await summaryOf('shop', 'week-1');
    expect(summary, JSON.stringify(summary)).toMatchObject({ status: 'succeeded', model: 'shop', version: 1, chunks: 2, rows: { read: 2500, scored: 2498, rejected: 2 } });
    expect(summary.predictions).toHaveLength(2);

    expect(summary.predictions.map((ref: { name: string }) => ref.name)).toEqual(['predictions/shop/week-1/predictions-000001.parquet', 'predictions/shop/week-1/predictions-000002.parquet']);
    const predictions = (await Promise.all(summary.predictions.map((ref: { name: string }) => goldPredictions(ref.name)))).flat();
    expect(predictions).toHaveLength(2498);
    expect(predictions.map((p) => p.row)).not.toContain(10);
    expect(predictions.map((p) => p.row)).not.toContain(20);
    const inline = await post(app, 'models/shop/predict', { rows: sampleRows(2500, 5).slice(0, 5) });
    expect(predictions.slice(0, 5)).toEqual(inline.body.predictions.map((p: any, i: number) => ({ row: i + 1, line: i + 2, ...p })));

    const rejected = (await Promise.all(summary.rejectedRows.map((ref: { name: string }) => goldText(ref.name)))).flatMap(jsonLines);
    expect(rejected.map((r) => r.row).sort((a, b) => a - b)).toEqual([10, 20]);
    expect(rejected.find((r) => r.row === 10).reasons).toEqual([{ rule: 'type', column: 'age', message: '"old" is not a finite number' }]);
    expect(rejected.find((r) => r.row === 20).reasons[0]).toMatchObject({ rule: 'field-count' });
    expect(rejected.find((r) => r.row === 20).text).toContain('extra');

    // The chunk inputs were copies of the rows, deleted once the run is recorded.
    expect(await goldText('predictions/shop/week-1/chunks/input-000001.jsonl')).toBeUndefined();
    const audited = await eventually(async () => {
      const events = (await (await app.call('GET', 'audit/events?type=serving.batch-scored')).json()).items as Record<string, any>[];
      return events.find((e) => e.subjects.summary === 'gold/predictions/shop/week-1/summary.json');
    }, 30_000);
    expect(audited).toMatchObject({ outcome: 'succeeded', why: 'rows read 2500 = scored 2498 + rejected 2, by v1 (champion)' });
  });

  it('reads JSON Lines, and fails a run for a model without a champion, saying so', async () => {
    const rows = sampleRows(3, 6);
    await land('shop/day-2.jsonl', rows.map((r) => JSON.stringify(r)).join('\n'));
    const jsonl = await summaryOf('shop', 'day-2');
    expect(jsonl).toMatchObject({ status: 'succeeded', chunks: 1, rows: { read: 3, scored: 3, rejected: 0 } });

    await land('nobody/day-1.csv', sampleCsv(3, 6));
    const failed = await summaryOf('nobody', 'day-1');
    expect(failed).toMatchObject({ status: 'failed', rows: { read: 0, scored: 0, rejected: 0 }, predictions: [] });
    expect(failed.error).toBe("no model 'nobody' (no version is registered as its champion)");
  });

  it('records and audits a run whose champion cannot be loaded as failed, with why', async () => {
    // A champion alias without its registered version: the chunk activity cannot load the model.
    const aliases = TableClient.fromConnectionString(app.host.connectionString, 'aliases', { allowInsecureConnection: true });
    const champion = await aliases.getEntity<Record<string, unknown>>('shop', 'champion');
    await aliases.upsertEntity({ ...champion, partitionKey: 'ghost', rowKey: 'champion' }, 'Replace');
    await land('ghost/day-1.csv', sampleCsv(3, 7));
    const failed = await summaryOf('ghost', 'day-1');
    expect(failed).toMatchObject({ status: 'failed', version: 1, chunks: 1, rows: { read: 3, scored: 0, rejected: 0 } });
    expect(failed.error).toContain("no version 1 of model 'ghost'");
    const audited = await eventually(async () => {
      const events = (await (await app.call('GET', 'audit/events?type=serving.batch-scored')).json()).items as Record<string, any>[];
      return events.find((e) => e.subjects.model === 'ghost');
    }, 30_000);
    expect(audited).toMatchObject({ outcome: 'failed', why: failed.error });
  });
});
