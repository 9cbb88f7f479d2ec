import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../src/Dps.Cli/main';

const dir = mkdtempSync(path.join(tmpdir(), 'dps-finops-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Empty settings mean the built-in defaults, whatever the developer's shell exports.
beforeEach(() => {
  vi.stubEnv('DPS_FINOPS_DEFAULT_SCHEDULE', '');
  vi.stubEnv('DPS_FINOPS_HOURLY_COST', '');
});
afterEach(() => vi.unstubAllEnvs());

function inventoryFile(name: string, content: unknown): string {
  writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return name;
}

async function dps(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTty: false, cwd: dir });
  return { code, stdout, stderr };
}

// Friday 2024-03-29: 19:00 UTC is the default off time, 19:00 Berlin (CET) is 18:00Z.
const inventory = {
  resources: [
    { id: 'vm-web', type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': '' } },
    { id: 'vm-db', type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': '', 'dps-sequence': '5' } },
    { id: 'vm-bad', type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': 'off=(M-F,25)' } },
    { id: 'app', type: 'Microsoft.Web/sites', state: 'running', tags: {} },
  ],
};

describe('dps finops plan', () => {
  it('prints the decisions as JSON in execution order with the default settings', async () => {
    const file = inventoryFile('inventory.json', inventory);
    const { code, stdout, stderr } = await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T19:00:00Z', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.decisions.map((d: { id: string; action: string; wave: number }) => [d.wave, d.id, d.action])).toEqual([
      [1, 'vm-db', 'stop'],
      [2, 'vm-web', 'stop'],
      [0, 'app', 'none'],
      [0, 'vm-bad', 'skip'],
    ]);
    expect(out.decisions[3].reason).toContain('hour 25 is out of range 0-23');
    // Default hourly cost is 0: Friday 19:00Z to Monday 07:00Z is 60 h of savings worth nothing.
    expect(out.decisions[0].estimatedSavings).toEqual({ hourlyCost: 0, hours: 60, amount: 0 });
  });

  it('takes the default schedule and hourly cost from the environment', async () => {
    vi.stubEnv('DPS_FINOPS_DEFAULT_SCHEDULE', 'off=(M-F,19);on=(M-F,7);tz=Europe/Berlin');
    vi.stubEnv('DPS_FINOPS_HOURLY_COST', '0.5');
    const file = inventoryFile('inventory.json', inventory);
    const { code, stdout } = await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T18:00:00Z', '--json');
    expect(code).toBe(0);
    const db = JSON.parse(stdout).decisions[0];
    // 18:00Z Friday to Monday 1 Apr 07:00 CEST (05:00Z): 59 h at 0.5.
    expect(db).toMatchObject({ id: 'vm-db', action: 'stop', estimatedSavings: { hourlyCost: 0.5, hours: 59, amount: 29.5 } });
  });

  it('uses --since for the window', async () => {
    const file = inventoryFile('inventory.json', inventory);
    const late = await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T21:00:00Z', '--json');
    expect(JSON.parse(late.stdout).decisions[0].action).toBe('none');
    const caughtUp = await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T21:00:00Z', '--since', '2024-03-29T18:30:00Z', '--json');
    expect(JSON.parse(caughtUp.stdout).decisions[0].action).toBe('stop');
  });

  it('prints a readable table without --json', async () => {
    const file = inventoryFile('inventory.json', inventory);
    const { code, stdout } = await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T19:00:00Z');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Off-hours plan for (2024-03-29T18:00:00.000Z, 2024-03-29T19:00:00.000Z]: 2 stop, 0 start, 1 none, 1 skip');
    expect(lines[1].split(/\s{2,}/)).toEqual(['wave', 'action', 'id', 'savings', 'reason']);
    expect(lines[2].split(/\s{2,}/)).toEqual(['1', 'stop', 'vm-db', '0.00', 'off at 2024-03-29 19:00 UTC']);
    expect(lines).toHaveLength(6);
  });

  it.each([
    [['--inventory', 'missing.json', '--at', '2024-03-29T19:00:00Z'], "cannot read inventory 'missing.json': no such file"],
    [['--inventory', 'broken.json', '--at', '2024-03-29T19:00:00Z'], "inventory 'broken.json' is not valid JSON"],
    [['--inventory', 'wrong.json', '--at', '2024-03-29T19:00:00Z'], "inventory 'wrong.json': resources[0].state must be 'running' or 'stopped'"],
    [['--inventory', 'inventory.json', '--at', 'friday'], "--at: 'friday' is not an ISO timestamp"],
    [['--inventory', 'inventory.json', '--at', '2024-03-29T19:00:00Z', '--since', '2024-03-30T00:00:00Z'], 'must be before at'],
    [['--inventory', 'inventory.json'], 'missing required option --at'],
  ])('exits 1 with one clear line for %j', async (argv, message) => {
    inventoryFile('inventory.json', inventory);
    inventoryFile('broken.json', '{"resources": [');
    inventoryFile('wrong.json', { resources: [{ id: 'vm', type: 'vm', state: 'deallocated' }] });
    const { code, stdout, stderr } = await dps('finops', 'plan', ...argv);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).not.toContain('    at ');
  });

  it('exits 1 naming the setting when the environment is bad', async () => {
    const file = inventoryFile('inventory.json', inventory);
    vi.stubEnv('DPS_FINOPS_HOURLY_COST', 'cheap');
    expect((await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T19:00:00Z')).stderr).toBe(
      "dps finops plan: DPS_FINOPS_HOURLY_COST: 'cheap' is not a number >= 0\n",
    );
    vi.stubEnv('DPS_FINOPS_HOURLY_COST', '1');
    vi.stubEnv('DPS_FINOPS_DEFAULT_SCHEDULE', 'off=(M-F,19);tz=Mars/Base');
    expect((await dps('finops', 'plan', '--inventory', file, '--at', '2024-03-29T19:00:00Z')).stderr).toBe(
      "dps finops plan: DPS_FINOPS_DEFAULT_SCHEDULE: unknown time zone 'Mars/Base'\n",
    );
  });
});
