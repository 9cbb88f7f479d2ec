import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const key = 'e2e-key';
let child: ChildProcess;
let baseUrl: string;
let stateDir: string;
let output = '';

beforeAll(async () => {
  stateDir = mkdtempSync(path.join(os.tmpdir(), 'dps-start-'));
  child = spawn(process.execPath, [path.join(root, 'bin', 'start.js'), '--port', '0'], {
    cwd: root,
    env: { ...process.env, DPS_LOCAL_FUNCTION_KEY: key, DPS_STATE_DIR: stateDir, DPS_PORT: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 90_000);
    const poll = setInterval(() => {
      const m = /DPS is running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(m[1]);
      }
    }, 100);
  });
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
  rmSync(stateDir, { recursive: true, force: true });
});

it('serves health anonymously and the Durable API only with the key', async () => {
  const health = await fetch(`${baseUrl}/api/health`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', storage: { reachable: true } });
  expect((await fetch(`${baseUrl}/runtime/webhooks/durabletask/instances`)).status).toBe(401);
  expect((await fetch(`${baseUrl}/runtime/webhooks/durabletask/instances?code=${key}`)).status).toBe(200);
  expect(output).toContain(`function key : ${key}`);
});
