import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { eventually, expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

// Each test works on datasets of its own, so any one of them can run alone or in any order.
let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp();
});
afterAll(async () => {
  await app?.host.stop();
});

async function putSampleContract(dataset: string): Promise<void> {
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset });
  if (!sample.ok) throw new Error(sample.error);
  expect((await app.call('PUT', `datasets/${dataset}/contract`, JSON.stringify(sample.value.contract))).status).toBe(200);
}

describe('ingest -> contract -> validate', () => {
  it('accepts a clean CSV, infers and stores its contract, and accounts for every row', async () => {
    const res = await app.call('POST', 'datasets/churn/ingest?label=churned', sampleCsv(300, 7));
    expect(res.status).toBe(202);
    const submitted = await res.json();
    expect(submitted.instanceId).toMatch(/^pipeline-churn-[0-9a-f]{12}$/);
    expect(submitted.repeat).toBe(false);
    const run = await app.finishedRun(submitted.instanceId);
    expectAccepted(run);
    const { read, accepted, quarantined, duplicates } = run.rows;
    expect(read).toBe(300);
    expect(accepted + quarantined + duplicates).toBe(read);
    expect(run.stages.map((s: { name: string; status: string }) => `${s.name}:${s.status}`)).toEqual(['contract:succeeded', 'validate:succeeded', 'profile:succeeded', 'train:succeeded']);
    expect(run.model).toMatchObject({ name: 'churn', version: 1, task: 'binary', alias: 'champion' });
    // The sample's label follows a logistic rule, so either family may win the candidate selection: the one registered is its winner.
    expect(run.model.algorithm).toBe(run.model.selection.winner.kind);
    expect(run.model.metrics.auc).toBeGreaterThan(0.5);
    expect(run.contract).toMatchObject({ revision: 1, origin: 'inferred', label: 'churned' });

    const contract = await (await app.call('GET', 'datasets/churn/contract')).json();
    expect(contract.contract.label.column).toBe('churned');
    const dataset = await (await app.call('GET', 'datasets/churn')).json();
    expect(dataset.silverVersions).toHaveLength(1);
    expect(dataset.rows.read).toBe(300);
  });

  it('reports the same content again as a repeat without processing it', async () => {
    const csv = sampleCsv(120, 8);
    expectAccepted(await app.ingest('repeated', csv));
    const res = await app.call('POST', 'datasets/repeated/ingest', csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ repeat: true, runtimeStatus: 'Completed' });
    const dataset = await (await app.call('GET', 'datasets/repeated')).json();
    expect(dataset.silverVersions).toHaveLength(1);
  });

  it('counts rows already seen in an earlier batch as duplicates', async () => {
    const first = sampleCsv(200, 7).split('\n');
    expectAccepted(await app.ingest('dups', first.join('\n')));
    const overlapping = [first[0], ...first.slice(1, 51), ...sampleCsv(20, 99).split('\n').slice(1)].join('\n');
    const run = await app.ingest('dups', overlapping);
    expect(run.rows.duplicates).toBeGreaterThanOrEqual(50);
    expect(run.rows.read).toBe(run.rows.accepted + run.rows.quarantined + run.rows.duplicates);
  });

  it('quarantines bad rows with their reasons and keeps the batch', async () => {
    await putSampleContract('churnq');
    const lines = sampleCsv(100, 3).split('\n');
    const cols = lines[1].split(',');
    cols[3] = 'not-an-age';
    lines[1] = cols.join(',');
    const run = await app.ingest('churnq', lines.join('\n'));
    expectAccepted(run);
    expect(run.rows.quarantined).toBeGreaterThanOrEqual(1);
    const quarantine = run.layers.quarantine;
    const text = (await app.host.storage.readBlob(`${quarantine.container}/${quarantine.name}`))!.toString('utf8');
    const rows = text.trim().split('\n').map((l) => JSON.parse(l));
    const bad = rows.find((r: { text: string }) => r.text.includes('not-an-age'));
    expect(bad.errors[0]).toMatchObject({ column: 'age', rule: 'type' });
    expect(bad.row).toBe(1);
  });

  it('rejects a batch that breaks dataset rules, with the reason, and stores no silver', async () => {
    await putSampleContract('ruled');
    const run = await app.ingest('ruled', 'customer_id,plan\n1,basic\n2,premium\n');
    expect(run.status).toBe('rejected');
    expect(run.errors.join(' ')).toMatch(/missing-column/);
    expect(run.layers.silver).toBeUndefined();
    const dataset = await (await app.call('GET', 'datasets/ruled')).json();
    expect(dataset.silverVersions).toHaveLength(0);
  });

  it('runs a batch again after training rejected it, reporting its committed rows instead of re-counting them as duplicates', async () => {
    const contract = {
      contractVersion: 1, dataset: 'oneclass', primaryKey: ['id'],
      columns: [{ name: 'id', type: 'integer', nullable: false }, { name: 'x', type: 'number' }, { name: 'y', type: 'category', values: ['yes', 'no'] }],
      label: { column: 'y', task: 'binary', positiveClass: 'yes' },
    };
    expect((await app.call('PUT', 'datasets/oneclass/contract', JSON.stringify(contract))).status).toBe(200);
    const csv = ['id,x,y', ...Array.from({ length: 40 }, (_, i) => `${i},${i * 0.5},no`)].join('\n');
    const first = await app.ingest('oneclass', csv);
    expect(first.status).toBe('rejected');
    expect(first.errors.join(' ')).toMatch(/distinct value/);
    const again = await (await app.call('POST', 'datasets/oneclass/ingest', csv)).json();
    expect(again).toMatchObject({ instanceId: first.instanceId, repeat: true });
    const second = await app.finishedRun(first.instanceId, (body) => body.createdTime !== first.createdTime);
    expect(second.rows).toEqual(first.rows);
    expect(second.rows.accepted).toBe(40);
    expect(second.silver).toEqual(first.silver);
    const dataset = await (await app.call('GET', 'datasets/oneclass')).json();
    expect(dataset.silverVersions).toHaveLength(1);
  });

  it('answers 400 for an empty body, a bad dataset name and an invalid contract, changing nothing', async () => {
    await putSampleContract('guarded');
    expect((await app.call('POST', 'datasets/guarded/ingest', '')).status).toBe(400);
    expect((await app.call('GET', 'pipelines/pipeline-guarded-000000000000')).status).toBe(404);
    expect((await app.call('POST', 'datasets/-bad/ingest', 'a\n1\n')).status).toBe(400);
    const bad = await app.call('PUT', 'datasets/guarded/contract', JSON.stringify({ contractVersion: 1, dataset: 'guarded', columns: 'nope' }));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/columns/);
    const contract = await (await app.call('GET', 'datasets/guarded/contract')).json();
    expect(contract.revision).toBe(1);
  });

  it('starts the pipeline from a file landed in the landing container', async () => {
    const container = app.host.storage.blobs.getContainerClient('landing');
    await container.createIfNotExists();
    const csv = sampleCsv(50, 11);
    await container.getBlockBlobClient('landed/batch-1.csv').upload(csv, Buffer.byteLength(csv));
    const run = await eventually(async () => {
      const dataset = await app.call('GET', 'datasets/landed');
      if (dataset.status !== 200) return undefined;
      const body = await dataset.json();
      return body.runs.find((r: { status: string }) => r.status === 'accepted');
    });
    expect(run.rows.read).toBe(50);
  });
});
