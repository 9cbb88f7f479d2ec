import { odata, TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from './fixtures/probe';
import { eventually, startTestHost, TEST_KEY } from './fixtures/start-test-host';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';

let host: LocalHost;
const api = (path: string) => `${host.baseUrl}/runtime/webhooks/durabletask/${path}${path.includes('?') ? '&' : '?'}code=${TEST_KEY}`;

async function start(name: string, input?: unknown, instanceId?: string): Promise<string> {
  const res = await fetch(api(`orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`), {
    method: 'POST',
    body: input === undefined ? '' : JSON.stringify(input),
  });
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

async function finished(id: string): Promise<{ runtimeStatus: string; output: unknown; customStatus: unknown; historyEvents?: { EventType: string; FunctionName?: string }[] }> {
  return eventually(async () => {
    const res = await fetch(api(`instances/${id}?showHistory=true&showHistoryOutput=true`));
    const body = await res.json();
    return res.status === 200 ? body : undefined;
  }, 15_000);
}

beforeAll(async () => {
  ({ host } = await startTestHost());
});
afterAll(async () => {
  await host?.stop();
});

describe('orchestrations replayed through durable-functions', () => {
  it('runs an activity chain and records it in the history', async () => {
    const status = await finished(await start('chain'));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe('abc');
    const scheduled = status.historyEvents?.filter((e) => e.EventType === 'TaskScheduled').map((e) => e.FunctionName);
    expect(scheduled).toEqual(['echo', 'echo', 'echo']);
  });

  it('fans out 20 activities and fans in their results', async () => {
    const status = await finished(await start('fanOut', 20));
    expect(status.output).toBe(Array.from({ length: 20 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b, 0));
  });

  it('waits on a durable timer and reports custom status', async () => {
    const began = Date.now();
    const status = await finished(await start('sleeper'));
    expect(status.output).toBe('awake');
    expect(status.customStatus).toEqual({ woke: true });
    expect(Date.now() - began).toBeGreaterThanOrEqual(250);
  });

  it('delivers an external event raised through the HTTP API', async () => {
    const id = await start('approval');
    await eventually(async () => ((await (await fetch(api(`instances/${id}`))).json()).customStatus === 'waiting' ? true : undefined));
    const raised = await fetch(api(`instances/${id}/raiseEvent/approve`), { method: 'POST', body: JSON.stringify('yes') });
    expect(raised.status).toBe(202);
    expect((await finished(id)).output).toEqual({ approved: 'yes' });
  });

  it('runs a sub-orchestration and returns its output to the parent', async () => {
    const id = await start('parent');
    const status = await finished(id);
    expect(status.output).toBe('parent saw abc');
    expect((await finished(`${id}-child`)).runtimeStatus).toBe('Completed');
  });

  it('retries an activity after a transient failure', async () => {
    probe.flakyFailuresLeft = 2;
    const before = probe.activityRuns.get('flaky') ?? 0;
    const status = await finished(await start('retrying'));
    expect(status.runtimeStatus).toBe('Completed');
    expect(status.output).toBe('ok:x');
    expect((probe.activityRuns.get('flaky') ?? 0) - before).toBe(3);
  });

  it('fails the instance when retries are exhausted', async () => {
    probe.flakyFailuresLeft = 5;
    const status = await finished(await start('retrying'));
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toContain('transient failure');
    probe.flakyFailuresLeft = 0;
  });

  it('continues as new with fresh history until done, and drops the old executions\' history rows', async () => {
    const id = await start('counter', 0);
    const status = await finished(id);
    expect(status.output).toBe(3);
    expect(status.historyEvents?.filter((e) => e.EventType === 'TaskScheduled')).toHaveLength(0);
    const table = TableClient.fromConnectionString(host.connectionString, 'TestHubNameInstances', { allowInsecureConnection: true });
    const rowKeys = await eventually(async () => {
      const keys: string[] = [];
      for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${id}` } })) keys.push(String(row.rowKey));
      return keys.some((k) => /^h000[012]/.test(k)) ? undefined : keys;
    });
    expect(rowKeys.filter((k) => k.startsWith('h0003')).length).toBeGreaterThan(0);
  });

  /** Starts an orchestration, lets it reach its timer, then makes its replay take the other branch. */
  async function replayChanged(name: string) {
    probe.deterministic = true;
    const id = await start(name);
    await eventually(async () => {
      const body = await (await fetch(api(`instances/${id}?showHistory=true`))).json();
      return body.historyEvents?.some((e: { EventType: string }) => e.EventType === 'TimerCreated') ? true : undefined;
    });
    probe.deterministic = false;
    const status = await finished(id);
    probe.deterministic = true;
    return status;
  }

  it('fails with a non-determinism error when replay no longer matches history', async () => {
    const status = await replayChanged('drifting');
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toMatch(/Non-deterministic workflow detected: history has activity 'echo'.*asks for CallActivity 'square'/);
  });

  it('fails as non-deterministic when a replay waits for an external event where history has a timer', async () => {
    const status = await replayChanged('driftingToEvent');
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toMatch(/Non-deterministic workflow detected: history has a timer .* now waits for external event 'late'/);
  });
});

describe('large messages and large episodes', () => {
  it('carries inputs, results, events and custom status above 45 KB through blobs, and reads them back from storage', async () => {
    const id = await start('largePayloads', 'i'.repeat(60_000));
    const raised = await fetch(api(`instances/${id}/raiseEvent/payload`), { method: 'POST', body: JSON.stringify('e'.repeat(70_000)) });
    expect(raised.status).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { input: 60_000, result: 1_100_000, event: 70_000 } });
    expect((status.customStatus as { padding: string }).padding).toHaveLength(50_000);
    const result = (status.historyEvents as { EventType: string; Result?: unknown }[]).find((e) => e.EventType === 'TaskCompleted')?.Result;
    expect(result).toHaveLength(1_100_000);
    const container = BlobServiceClient.fromConnectionString(host.connectionString).getContainerClient('testhubname-largemessages');
    const blobs: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${id}/` })) blobs.push(blob.name);
    expect(blobs.length).toBeGreaterThanOrEqual(4);
    expect((await fetch(api(`instances/${id}`), { method: 'DELETE' })).status).toBe(200);
    const left: string[] = [];
    for await (const blob of container.listBlobsFlat({ prefix: `${id}/` })) left.push(blob.name);
    expect(left).toEqual([]);
  });

  it('splits an episode too large for one table row over continuation rows (a 3,000-activity fan-out)', async () => {
    const id = await start('fanOut', 3000);
    const status = await finished(id);
    expect(status.output).toBe(Array.from({ length: 3000 }, (_, i) => (i + 1) ** 2).reduce((a, b) => a + b, 0));
    expect(status.historyEvents?.filter((e) => e.EventType === 'TaskCompleted')).toHaveLength(3000);
    const table = TableClient.fromConnectionString(host.connectionString, 'TestHubNameInstances', { allowInsecureConnection: true });
    const keys: string[] = [];
    for await (const row of table.listEntities({ queryOptions: { filter: odata`PartitionKey eq ${id}` } })) keys.push(String(row.rowKey));
    expect(keys.filter((k) => /^h\d{12}-\d+$/.test(k)).length).toBeGreaterThan(0);
  });
});

describe('the Durable HTTP API', () => {
  it('answers 401 without the key', async () => {
    expect((await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances`)).status).toBe(401);
  });

  it('returns the check-status payload from createCheckStatusResponse', async () => {
    const res = await fetch(`${host.baseUrl}/api/start/chain`, { method: 'POST' });
    expect(res.status).toBe(202);
    const links = (await res.json()) as Record<string, string>;
    expect(Object.keys(links).sort()).toEqual(
      ['id', 'purgeHistoryDeleteUri', 'restartPostUri', 'resumePostUri', 'rewindPostUri', 'sendEventPostUri', 'statusQueryGetUri', 'suspendPostUri', 'terminatePostUri'],
    );
    expect(res.headers.get('location')).toBe(links.statusQueryGetUri);
    expect(links.statusQueryGetUri).toContain(`/runtime/webhooks/durabletask/instances/${links.id}?`);
    expect(links.statusQueryGetUri).toContain(`code=${TEST_KEY}`);
    const status = await eventually(async () => {
      const r = await fetch(links.statusQueryGetUri);
      return r.status === 200 ? r.json() : undefined;
    });
    expect(status).toMatchObject({ name: 'chain', instanceId: links.id, runtimeStatus: 'Completed', output: 'abc' });
  });

  it('starts with a chosen instance id and refuses a duplicate while it runs', async () => {
    const id = await start('approval', undefined, 'fixed-id-1');
    expect(id).toBe('fixed-id-1');
    const again = await fetch(api('orchestrators/approval/fixed-id-1'), { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await fetch(api('orchestrators/noSuchOrchestrator'), { method: 'POST' })).status).toBe(404);
  });

  it('lists, terminates and purges instances', async () => {
    const id = await start('approval', undefined, 'to-terminate');
    const list = (await (await fetch(api('instances?runtimeStatus=Running,Pending'))).json()) as { instanceId: string }[];
    expect(list.map((s) => s.instanceId)).toContain(id);
    const badFilter = await fetch(api('instances?createdTimeFrom=yesterday'));
    expect(badFilter.status).toBe(400);
    expect((await badFilter.json()).message).toContain("createdTimeFrom must be a date-time");
    expect((await fetch(api(`instances/${id}/terminate?reason=enough`), { method: 'POST' })).status).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
    expect((await fetch(api(`instances/${id}/terminate?reason=again`), { method: 'POST' })).status).toBe(410);
    expect((await fetch(api(`instances/${id}/raiseEvent/approve`), { method: 'POST', body: '1' })).status).toBe(410);
    expect((await fetch(api(`instances/${id}`), { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(api(`instances/${id}`))).status).toBe(404);
    expect((await fetch(api('instances/nobody/raiseEvent/x'), { method: 'POST', body: '1' })).status).toBe(404);
  });
});

describe('suspend, resume and restart', () => {
  it('holds a suspended instance\'s events until it resumes', async () => {
    const id = await start('approval');
    await eventually(async () => ((await (await fetch(api(`instances/${id}`))).json()).customStatus === 'waiting' ? true : undefined));
    expect((await fetch(api(`instances/${id}/suspend?reason=hold`), { method: 'POST' })).status).toBe(202);
    expect((await (await fetch(api(`instances/${id}`))).json()).runtimeStatus).toBe('Suspended');
    expect((await fetch(api(`instances/${id}/raiseEvent/approve`), { method: 'POST', body: '"later"' })).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await (await fetch(api(`instances/${id}`))).json()).runtimeStatus).toBe('Suspended');
    expect((await fetch(api(`instances/${id}/resume?reason=go`), { method: 'POST' })).status).toBe(202);
    const status = await finished(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: { approved: 'later' } });
    expect(status.historyEvents?.map((e) => e.EventType)).toEqual(expect.arrayContaining(['ExecutionSuspended', 'ExecutionResumed']));
  });

  it('restarts an instance with its input, under the same id or a new one', async () => {
    const id = await start('fanOut', 4);
    expect((await finished(id)).output).toBe(30);
    const same = await fetch(api(`instances/${id}/restart?restartWithNewInstanceId=false`), { method: 'POST' });
    expect(same.status).toBe(202);
    expect(((await same.json()) as { id: string }).id).toBe(id);
    expect((await finished(id)).output).toBe(30);
    const fresh = await fetch(api(`instances/${id}/restart`), { method: 'POST' });
    const newId = ((await fresh.json()) as { id: string }).id;
    expect(newId).not.toBe(id);
    expect((await finished(newId)).output).toBe(30);
    expect((await fetch(api('instances/nobody/restart'), { method: 'POST' })).status).toBe(404);
  });
});

describe('durable entities', () => {
  it('runs signalled operations in order through the entity function and keeps its state', async () => {
    for (const n of [1, 2, 3]) expect((await fetch(`${host.baseUrl}/api/tally/t1/add`, { method: 'POST', body: String(n) })).status).toBe(202);
    const state = await eventually(async () => {
      const body = await (await fetch(`${host.baseUrl}/api/tally/t1`)).json();
      return body.entityExists && body.entityState === 6 ? body : undefined;
    });
    expect(state).toEqual({ entityExists: true, entityState: 6 });
    await fetch(`${host.baseUrl}/api/tally/t1/mirror`, { method: 'POST' });
    await eventually(async () => ((await (await fetch(`${host.baseUrl}/api/tally/mirror`)).json()).entityState === 6 ? true : undefined));
    expect(await (await fetch(`${host.baseUrl}/api/tally/never-signalled`)).json()).toEqual({ entityExists: false });
    expect((await fetch(api('entities/tally/a%23b?op=add'), { method: 'POST', body: '1' })).status).toBe(400);
    expect((await fetch(api('entities/nobody/k?op=add'), { method: 'POST', body: '1' })).status).toBe(404);
  });

  it('lets an orchestrator signal and call entities: answers in order, errors thrown, a last signal still sent', async () => {
    const id = await start('entityCaller', 'from-orchestrator');
    const done = await finished(id);
    expect(done.runtimeStatus).toBe('Completed');
    expect(done.output).toEqual({
      before: 10, after: 15,
      failures: [expect.stringContaining("entity operation 'boom' on @tally@from-orchestrator failed"), "No entity function named 'nobody' is registered."],
    });
    expect(done.historyEvents?.filter((e) => e.EventType === 'EventSent')).toHaveLength(7);
    await eventually(async () => ((await (await fetch(`${host.baseUrl}/api/tally/from-orchestrator`)).json()).entityState === 115 ? true : undefined));
  });
});
