import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { STATE_LOCK_FILE } from '../../src/Dps.LocalHost/storage/state-lock';
import { startTestHost } from './fixtures/start-test-host';

const root = mkdtempSync(path.join(tmpdir(), 'dps-failed-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A start that fails after Azurite is up must stop it again: otherwise `dps run` cannot exit and the
// state directory stays claimed by a process that no longer uses it.
it('stops its Azurite and releases the state directory when the port is taken', async () => {
  const taken = http.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as AddressInfo).port;
  const stateDir = path.join(root, 'port-taken');
  try {
    await expect(startTestHost({ port, stateDir })).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
    expect(existsSync(path.join(stateDir, STATE_LOCK_FILE))).toBe(false);
  } finally {
    taken.close();
  }
});

it('names host.json when it is not valid JSON, and releases the state directory', async () => {
  const stateDir = path.join(root, 'bad-host-json');
  const hostJsonPath = path.join(root, 'host.json');
  writeFileSync(hostJsonPath, '{ "extensions": ');
  await expect(startTestHost({ stateDir, hostJsonPath })).rejects.toThrow(`${hostJsonPath} is not valid JSON`);
  expect(existsSync(path.join(stateDir, STATE_LOCK_FILE))).toBe(false);
});
