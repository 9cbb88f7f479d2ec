import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LocalHost } from '../../src/Dps.LocalHost/local-host';
import { describeRejection } from '../../src/Dps.LocalHost/worker/unhandled-rejections';
import { eventually, startTestHost } from './fixtures/start-test-host';

// Vitest reports unhandled rejections itself; while this file's host runs it is the only listener, as in
// `npm start` and `dps run`, so what is tested is what the host does with one.
const vitestListeners = process.rawListeners('unhandledRejection') as Array<(...args: unknown[]) => void>;
let host: LocalHost;
let stopped = false;
let lines: string[];

beforeAll(async () => {
  process.removeAllListeners('unhandledRejection');
  const started = await startTestHost({ appEntry: path.join(__dirname, 'fixtures', 'rejection-app.ts'), startTriggers: false });
  host = started.host;
  lines = started.logger.lines;
});

afterAll(async () => {
  if (!stopped) await host?.stop();
  for (const listener of vitestListeners) process.on('unhandledRejection', listener);
});

it('logs an unhandled rejection inside a function as one error line naming what failed, and keeps serving', async () => {
  const dropped = await fetch(`${host.baseUrl}/api/dropsAPromise`, { method: 'POST' });
  expect(dropped.status).toBe(202);
  const logged = await eventually(() => {
    const found = lines.filter((line) => line.includes('unhandled rejection'));
    return found.length > 0 ? found : undefined;
  });
  expect(logged).toEqual([
    '[host] error: unhandled rejection, the host keeps running: name=RestError code=ECONNRESET ' +
      'request="PUT http://127.0.0.1:10000/devstoreaccount1/gold/set.parquet" error="read ECONNRESET"',
  ]);
  expect(host.unhandledRejections).toHaveLength(1);
  const ping = await fetch(`${host.baseUrl}/api/ping`);
  expect(await ping.text()).toBe('pong');
});

it('stops listening when the host stops', async () => {
  expect(process.listenerCount('unhandledRejection')).toBe(1);
  stopped = true;
  await host.stop();
  expect(process.listenerCount('unhandledRejection')).toBe(0);
});

it('describes a rejection that is not an Error by its value', () => {
  expect(describeRejection('gone')).toBe('error="gone"');
  expect(describeRejection(Object.assign(new Error('conflict\nsecond line'), { statusCode: 409 }))).toBe('name=Error status=409 error="conflict"');
});
