import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { STATE_LOCK_FILE, claimStateDir } from '../../src/Dps.LocalHost/storage/state-lock';

const root = mkdtempSync(path.join(tmpdir(), 'dps-state-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const fresh = (name: string) => path.join(root, name);

describe('state directory lock', () => {
  it('refuses a second Azurite on the same state directory until the first stops', async () => {
    const dir = fresh('shared');
    const first = await startAzurite(dir);
    await expect(startAzurite(dir)).rejects.toThrow(`the state directory ${dir} is in use by this process`);
    await first.stop();
    expect(existsSync(path.join(dir, STATE_LOCK_FILE))).toBe(false);
    const second = await startAzurite(dir);
    await second.stop();
  });

  it('names another live process that holds the directory', () => {
    const dir = fresh('held');
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      mkdirSync(dir);
      writeFileSync(path.join(dir, STATE_LOCK_FILE), JSON.stringify({ pid: holder.pid, command: 'start.js', since: '2026-01-01T00:00:00.000Z' }));
      expect(() => claimStateDir(dir)).toThrow(`in use by process ${holder.pid} (start.js) since 2026-01-01T00:00:00.000Z`);
    } finally {
      holder.kill();
    }
  });

  it('takes over a lock left by a process that has died', () => {
    const dir = fresh('stale');
    const dead = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    mkdirSync(dir);
    writeFileSync(path.join(dir, STATE_LOCK_FILE), JSON.stringify({ pid: dead, command: 'start.js', since: '2026-01-01T00:00:00.000Z' }));
    const release = claimStateDir(dir);
    release();
    expect(existsSync(path.join(dir, STATE_LOCK_FILE))).toBe(false);
  });
});
