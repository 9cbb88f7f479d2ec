import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { lineageRunId } from '../../src/Dps.Domain/lineage/run-id';
import { readSettings } from '../../src/Dps.Functions/settings';
import { bronzeBlob } from '../../src/Dps.Functions/storage/blob-layout';
import { openLineageProblems } from '../fixtures/openlineage/validator';
import { eventually, expectAccepted, sampleCsv, startApp } from './fixtures/app-host';

/** An OpenLineage endpoint standing in for Marquez: it keeps what it is sent, with the Authorization header. */
interface Received {
  authorization?: string;
  event: Record<string, any>;
}

type RunEvent = Record<string, any>;

let app: Awaited<ReturnType<typeof startApp>>;
let endpoint: Server;
const received: Received[] = [];
let accepted: Record<string, any>;
let rejected: Record<string, any>;

async function body(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text;
}

beforeAll(async () => {
  endpoint = createServer(async (request, response) => {
    received.push({ authorization: request.headers.authorization, event: JSON.parse(await body(request)) });
    response.writeHead(201).end();
  });
  endpoint.listen(0, '127.0.0.1');
  await once(endpoint, 'listening');
  app = await startApp({
    DPS_TRAINING_TRIALS: '1', DPS_ROLLOUT_AUTO: 'false', DPS_RETRAIN_MIN_NEW_ROWS: '0', DPS_RETRAIN_COOLDOWN_MINUTES: '0',
    DPS_OPENLINEAGE_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/api/v1/lineage`, DPS_OPENLINEAGE_API_KEY: 'lineage-test-key',
    DPS_SOURCE_REPOSITORY: 'https://github.com/example/dps', DPS_SOURCE_COMMIT: '0123456789abcdef0123456789abcdef01234567',
  });
  // A labelled batch (pipeline + training), a batch its contract rejects, a retrain (with its own
  // training run) and the challenger's rollout, aborted: every job and every end of a run.
  const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset: 'refused' });
  if (!sample.ok) throw new Error(sample.error);
  expect((await app.call('PUT', 'datasets/refused/contract', JSON.stringify(sample.value.contract))).status).toBe(200);
  [accepted, rejected] = await Promise.all([app.ingest('lineaged', sampleCsv(300, 7), '?label=churned'), app.ingest('refused', 'customer_id,plan\n1,basic\n2,premium\n')]);
  expectAccepted(accepted);
  expect(rejected.status).toBe('rejected');
  expect((await app.call('POST', 'models/lineaged/retrain')).status).toBe(202);
  const retrained = await eventually(async () => {
    const status = (await (await app.call('GET', 'models/lineaged/retrain')).json()) as Record<string, any>;
    return status.runtimeStatus === 'Completed' ? status : undefined;
  }, 60_000);
  expect(retrained.output).toMatchObject({ outcome: 'trained', trained: { version: 2, alias: 'challenger' } });
  expect((await app.call('POST', 'models/lineaged/rollout', JSON.stringify({ version: 2, bakeSeconds: 3600 }))).status).toBe(202);
  await eventually(async () => ((await (await app.call('GET', 'models/lineaged/rollout')).json()).status === 'running' ? true : undefined), 20_000);
  expect((await app.call('POST', 'models/lineaged/rollout/abort', JSON.stringify({ reason: 'lineage test' }))).status).toBeLessThan(300);
}, 120_000);

afterAll(async () => {
  await app?.host.stop();
  endpoint?.close();
});

const containers = readSettings().containers;
const blobs = () => BlobServiceClient.fromConnectionString(app.host.connectionString);

/** Every event in container `lineage`, by blob name. */
async function storedEvents(): Promise<Map<string, RunEvent>> {
  const container = blobs().getContainerClient(containers.lineage);
  const events = new Map<string, RunEvent>();
  for await (const item of container.listBlobsFlat()) {
    events.set(item.name, JSON.parse((await container.getBlockBlobClient(item.name).downloadToBuffer()).toString('utf8')));
  }
  return events;
}

let stored: Promise<Map<string, RunEvent>> | undefined;

/** The stored events by blob name, once the rollout's ABORT is among them (it is emitted after the rollout's last state is recorded). */
const eventBlobs = () => (stored ??= eventually(async () => {
  const events = await storedEvents();
  return [...events.values()].some((e) => e.job.name === 'rollout' && e.eventType === 'ABORT') ? events : undefined;
}, 20_000));

/** The stored events. */
const allEvents = async () => [...(await eventBlobs()).values()];

/** The events of each run, by run id. */
function byRun(events: RunEvent[]): Map<string, RunEvent[]> {
  const runs = new Map<string, RunEvent[]>();
  for (const event of events) runs.set(event.run.runId, [...(runs.get(event.run.runId) ?? []), event]);
  return runs;
}

/** The one run of `job` whose terminal event is `eventType` (and passes `where`). */
function runOf(events: RunEvent[], job: string, eventType: string, where: (e: RunEvent) => boolean = () => true): { start: RunEvent; end: RunEvent } {
  const ends = events.filter((e) => e.job.name === job && e.eventType === eventType && where(e));
  expect(ends, `${job} ${eventType}`).toHaveLength(1);
  const start = events.find((e) => e.run.runId === ends[0].run.runId && e.eventType === 'START');
  expect(start, `${job} START`).toBeDefined();
  return { start: start!, end: ends[0] };
}

/** Whether an event's dataset is this blob. */
const isBlob = (blob: { container: string; name: string }) => (dataset: RunEvent): boolean =>
  dataset.namespace.startsWith(`wasbs://${blob.container}@`) && dataset.name === blob.name;

/** Whether a dataset of an event names a real blob (or, for a partitioned layer, a real prefix). */
async function exists(dataset: { namespace: string; name: string }): Promise<boolean> {
  const match = /^wasbs:\/\/([^@]+)@([^.]+)\.dfs\.core\.windows\.net$/.exec(dataset.namespace);
  if (!match) return false;
  const container = blobs().getContainerClient(match[1]);
  if (await container.getBlobClient(dataset.name).exists()) return true;
  for await (const item of container.listBlobsFlat({ prefix: dataset.name.endsWith('/') ? dataset.name : `${dataset.name}/` })) return item !== undefined;
  return false;
}

describe('OpenLineage events of pipeline, training, retraining and rollout runs', () => {
  it('keeps every event in container lineage, each valid against the OpenLineage schema and its facets\' schemas', async () => {
    const events = await allEvents();
    for (const event of events) expect(openLineageProblems(event), `${event.job.name} ${event.eventType}`).toEqual([]);
    // Named {job}/{runId}/{time}-{type}.json: a run's blobs listed in name order start with its START.
    const names = [...(await eventBlobs()).entries()];
    for (const [name, event] of names) {
      expect(name.startsWith(`${event.job.name}/${event.run.runId}/`)).toBe(true);
      expect(names.find(([n]) => n.startsWith(`${event.job.name}/${event.run.runId}/`))![1].eventType).toBe('START');
    }
  });

  it('gives each run exactly one START and one end, in that order, the end saying how the run ended', async () => {
    const runs = byRun(await allEvents());
    for (const [runId, events] of runs) {
      const types = events.map((e) => e.eventType).sort();
      expect(types, runId).toHaveLength(2);
      expect(types[1], runId).toBe('START');
      const [start, end] = [events.find((e) => e.eventType === 'START')!, events.find((e) => e.eventType !== 'START')!];
      expect(Date.parse(end.eventTime)).toBeGreaterThanOrEqual(Date.parse(start.eventTime));
    }
    const ends = [...runs.values()].map((events) => `${events[0].job.name}:${events.find((e) => e.eventType !== 'START')!.eventType}`).sort();
    expect(ends).toEqual(['pipeline:COMPLETE', 'pipeline:FAIL', 'retraining:COMPLETE', 'rollout:ABORT', 'training:COMPLETE', 'training:COMPLETE']);
  });

  it('names only blobs that exist as inputs and outputs', async () => {
    const events = await allEvents();
    const datasets = events.flatMap((e) => [...e.inputs, ...e.outputs]);
    expect(datasets.length).toBeGreaterThan(0);
    for (const dataset of datasets) expect(await exists(dataset), `${dataset.namespace} ${dataset.name}`).toBe(true);
  });

  it('accounts for the accepted batch\'s rows as the pipeline reported them, and writes the contract as the silver schema', async () => {
    const { end } = runOf(await allEvents(), 'pipeline', 'COMPLETE');
    expect(end.run.facets.dps_run).toMatchObject({ instanceId: accepted.instanceId, status: 'accepted' });
    const [bronze] = end.inputs;
    expect(bronze.name).toBe(bronzeBlob(containers, 'lineaged', accepted.sha256).name);
    const rows = bronze.inputFacets.dps_rowAccounting;
    expect({ read: rows.read, accepted: rows.accepted, quarantined: rows.quarantined, duplicates: rows.duplicates }).toEqual(accepted.rows);
    expect(rows.accepted + rows.quarantined + rows.duplicates).toBe(rows.read);
    expect(bronze.inputFacets.dataQualityMetrics.rowCount).toBe(rows.read);
    const silver = end.outputs.find(isBlob(accepted.silver.blob));
    expect(silver.outputFacets.outputStatistics.rowCount).toBe(accepted.rows.accepted);
    const contract = await (await app.call('GET', 'datasets/lineaged/contract')).json();
    expect(silver.facets.schema.fields.map((f: { name: string }) => f.name)).toEqual(contract.contract.columns.map((c: { name: string }) => c.name));
  });

  it('fails the rejected batch\'s run with the reason the pipeline gave', async () => {
    const { end } = runOf(await allEvents(), 'pipeline', 'FAIL');
    expect(end.run.facets.errorMessage.message).toBe(rejected.errors[0]);
    expect(end.run.facets.dps_run).toMatchObject({ instanceId: rejected.instanceId, status: 'rejected' });
  });

  it('links each training run to the pipeline or retrain that started it, with the silver it read and the model it registered', async () => {
    const events = await allEvents();
    const pipeline = runOf(events, 'pipeline', 'COMPLETE').end;
    const retraining = runOf(events, 'retraining', 'COMPLETE').end;
    const trainings = events.filter((e) => e.job.name === 'training' && e.eventType === 'COMPLETE');
    expect(trainings.map((t) => t.run.facets.parent.run.runId).sort()).toEqual([pipeline.run.runId, retraining.run.runId].sort());
    // Both trained on the accepted batch's silver (the retrain's window is that one version), wrote a gold training set and registered one artifact each.
    const silver = pipeline.outputs.find(isBlob(accepted.silver.blob));
    for (const training of trainings) {
      expect(training.inputs.filter(isBlob(accepted.silver.blob))).toEqual([expect.objectContaining({ namespace: silver.namespace, name: silver.name })]);
      expect(training.outputs.map((o: RunEvent) => o.namespace.replace(/@.*/, ''))).toEqual([`wasbs://${containers.gold}`, `wasbs://${containers.models}`]);
    }
    // The artifact's schema is the version's signature, as the registry lists it.
    const registered = await (await app.call('GET', 'models/lineaged')).json();
    for (const training of trainings) {
      const artifact = training.outputs.find((o: RunEvent) => o.namespace.startsWith(`wasbs://${containers.models}@`));
      const version = registered.versions.find((v: Record<string, any>) => training.run.facets.dps_run.reason.includes(` v${v.version} `));
      expect(artifact.facets.schema.fields.map((f: { name: string }) => f.name)).toEqual(version.signature.map((f: { name: string }) => f.name));
    }
    const retrainedModel = trainings.find((t) => t.run.facets.parent.run.runId === retraining.run.runId)!.outputs.filter((o: RunEvent) => o.namespace.startsWith(`wasbs://${containers.models}@`));
    expect(retraining.outputs).toEqual(retrainedModel);
    const pipelineStart = events.find((e) => e.run.runId === pipeline.run.runId && e.eventType === 'START')!;
    expect(lineageRunId(`${accepted.instanceId}@${pipelineStart.eventTime}`)).toBe(pipeline.run.runId);
  });

  it('ends the aborted rollout with ABORT, naming the champion and challenger artifacts it served', async () => {
    const { start, end } = runOf(await allEvents(), 'rollout', 'ABORT');
    expect(end.run.facets.dps_run).toMatchObject({ status: 'aborted', reason: expect.stringContaining('lineage test') });
    expect(start.inputs).toHaveLength(2);
    expect(end.inputs.map((i: RunEvent) => i.name)).toEqual(start.inputs.map((i: RunEvent) => i.name));
  });

  it('sends the same events to DPS_OPENLINEAGE_URL with the API key as a Bearer token', async () => {
    const events = await allEvents();
    const key = (e: RunEvent) => `${e.run.runId} ${e.eventType}`;
    await eventually(() => (received.length >= events.length ? true : undefined), 10_000);
    expect(received.map((r) => key(r.event)).sort()).toEqual(events.map(key).sort());
    const stored = new Map(events.map((e) => [key(e), e]));
    for (const r of received) {
      expect(r.authorization).toBe('Bearer lineage-test-key');
      expect(r.event).toEqual(stored.get(key(r.event)));
    }
    expect(received[0].event.producer).toBe('https://github.com/example/dps/tree/0123456789abcdef0123456789abcdef01234567');
  });
});
