import { ChildProcess, spawn, spawnSync } from 'node:child_process';
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

const api = (route: string, init?: RequestInit) => fetch(`${baseUrl}/api/${route}${route.includes('?') ? '&' : '?'}code=${key}`, init);

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out; host output:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('lands the bundled sample once on an empty state, with a completed pipeline and a model', async () => {
  const dataset = await until(async () => {
    const res = await api('datasets/churn-sample');
    if (res.status !== 200) return undefined;
    const body = await res.json();
    return body.runs.some((r: { status: string }) => r.status === 'accepted') ? body : undefined;
  });
  expect(dataset.rows.read).toBe(2000);
  const model = await (await api('models/churn-sample')).json();
  expect(model.aliases.champion.version).toBe(1);
});

it('runs a clean CSV posted to ingest to completion and keeps a verifiable audit chain', async () => {
  const csv = 'id,x,y\n' + Array.from({ length: 200 }, (_, i) => `${i},${i % 17},${i % 17 > 8 ? 'yes' : 'no'}`).join('\n') + '\n';
  const submitted = await (await api('datasets/clean/ingest', { method: 'POST', body: csv })).json();
  const run = await until(async () => {
    const body = await (await api(`pipelines/${submitted.instanceId}`)).json();
    return body.runtimeStatus === 'Completed' ? body : undefined;
  });
  expect(run.status).toBe('accepted');
  expect(run.rows).toEqual({ read: 200, accepted: 200, quarantined: 0, duplicates: 0 });
  const verify = await until(async () => {
    const body = await (await api('audit/verify')).json();
    return body.ok && body.length >= 1 ? body : undefined;
  });
  expect(verify.head).toMatch(/^[0-9a-f]{64}$/);
});

it('refuses a bad --port or DPS_PORT with one line naming it, and no stack trace', () => {
  const start = (args: string[], port: string) =>
    spawnSync(process.execPath, [path.join(root, 'bin', 'start.js'), ...args], { cwd: root, env: { ...process.env, DPS_STATE_DIR: stateDir, DPS_PORT: port }, encoding: 'utf8' });
  expect(start(['--port', 'abc'], '')).toMatchObject({ status: 1, stderr: "dps start: --port must be a whole number from 0 to 65535, got 'abc'\n" });
  expect(start([], '70000')).toMatchObject({ status: 1, stderr: "dps start: DPS_PORT must be a whole number from 0 to 65535, got '70000'\n" });
});
