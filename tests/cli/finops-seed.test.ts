import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOffHours } from '../../src/Dps.Domain/finops/plan-offhours';
import { LOCAL_INVENTORY_TABLE, LocalFinOpsInventory, LocalResource } from '../../src/Dps.Functions/finops/finops-local-inventory';
import { createStorageClients } from '../../src/Dps.Functions/storage/storage-clients';
import { startAzurite } from '../../src/Dps.LocalHost/storage/azurite-server';
import { cliWorkspace } from './data-harness';

const cli = cliWorkspace();
const state = path.join(cli.dir, 'state');

// Reads the local inventory the way the functions do.
async function seeded(): Promise<LocalResource[]> {
  const azurite = await startAzurite(state);
  try {
    return await new LocalFinOpsInventory(await createStorageClients({ connectionString: azurite.connectionString }).table(LOCAL_INVENTORY_TABLE)).list();
  } finally {
    await azurite.stop();
  }
}

const name = (id: string) => id.split('/').at(-1);

describe('dps finops seed', () => {
  it('seeds a sample the policy acts on now: waves, a start, a snooze, an opt-out, a bad tag, a failing resource', async () => {
    const run = await cli.run('finops', 'seed', '--state', 'state');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`seeded 9 resources into the local FinOps inventory in ${state}`);
    const resources = await seeded();
    expect(resources.find((r) => name(r.id) === 'vm-legacy')?.simulateFailure).toBe('simulated: the VM agent did not answer');
    const plan = planOffHours({ resources, at: new Date().toISOString(), defaults: { schedule: 'off=(M-F,19);on=(M-F,7);tz=UTC' } });
    expect(plan.ok && plan.value.decisions.map((d) => [d.wave, name(d.id), d.action])).toEqual([
      [1, 'vm-db', 'stop'],
      // within a wave by full id: Microsoft.Compute before Microsoft.Web
      [2, 'vm-api', 'stop'],
      [2, 'func-etl', 'stop'],
      [3, 'vm-legacy', 'stop'],
      [3, 'app-web', 'stop'],
      [4, 'vm-train', 'start'],
      [0, 'vm-demo', 'none'],
      [0, 'vm-shared', 'none'],
      [0, 'vm-typo', 'skip'],
    ]);
  });

  it('replaces the inventory with a file, simulateFailure included', async () => {
    const file = cli.write('inventory.json', JSON.stringify({
      resources: [
        { id: 'vm-1', type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': '' } },
        { id: 'vm-2', type: 'Microsoft.Compute/virtualMachines', state: 'stopped', tags: { 'dps-offhours': '' }, simulateFailure: 'no capacity' },
      ],
    }));
    const run = await cli.run('finops', 'seed', '--state', 'state', '--file', file, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).resources).toHaveLength(2);
    expect((await seeded()).map((r) => [r.id, r.state, r.simulateFailure])).toEqual([['vm-1', 'running', undefined], ['vm-2', 'stopped', 'no capacity']]);
  });

  it('rejects a bad file with one line naming the problem, and changes nothing', async () => {
    const bad = cli.write('bad.json', JSON.stringify({ resources: [{ id: 'vm-3', type: 'vm', state: 'running', tags: {}, simulateFailure: 5 }] }));
    expect(await cli.run('finops', 'seed', '--state', 'state', '--file', bad)).toEqual({ code: 1, stdout: '', stderr: "dps finops seed: inventory 'bad.json': resources[0].simulateFailure must be a non-empty string\n" });
    expect(await cli.run('finops', 'seed', '--state', 'state', '--file', 'missing.json')).toMatchObject({ code: 1, stderr: "dps finops seed: cannot read inventory 'missing.json': no such file\n" });
    expect((await seeded()).map((r) => r.id)).toEqual(['vm-1', 'vm-2']);
  });

  it('refuses a state directory in use', async () => {
    const azurite = await startAzurite(state);
    try {
      const run = await cli.run('finops', 'seed', '--state', 'state');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('is in use by this process');
    } finally {
      await azurite.stop();
    }
  });
});
