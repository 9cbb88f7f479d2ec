import { afterAll, beforeAll, expect, it } from 'vitest';
import { planOffHours } from '../../src/Dps.Domain/finops/plan-offhours';
import type { RunRef } from '../../src/Dps.Domain/finops/run-records';
import { FINOPS_ACT, finopsAct } from '../../src/Dps.Functions/finops/finops-act.activity';
import { LocalFinOpsInventory, LocalResource } from '../../src/Dps.Functions/finops/finops-local-inventory';
import type { FinOpsServices } from '../../src/Dps.Functions/finops/finops-services';
import { activityContext, FaultPlan, InjectedFault, startStorage } from './fixtures/fault-injection';

let env: Awaited<ReturnType<typeof startStorage>>;
let inventory: LocalFinOpsInventory;

beforeAll(async () => {
  env = await startStorage();
  inventory = new LocalFinOpsInventory(await env.storage.table('finopsactfault'));
});
afterAll(async () => {
  await env?.azurite.stop();
});

// A Wednesday at 18:30 UTC, with the window from 17:30: an 18:00 off (or on) time falls in it.
const at = '2026-03-04T18:30:00.000Z';
const since = '2026-03-04T17:30:00.000Z';
const defaults = { schedule: 'off=[(M-F,19)];tz=UTC' };
const run: RunRef = { runId: 'run-1', at, dryRun: false, trigger: 'http', requestedBy: 'test' };
const vm = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dps/providers/Microsoft.Compute/virtualMachines/${name}`;

const resources = {
  stop: (id: string): LocalResource => ({ id, type: 'Microsoft.Compute/virtualMachines', state: 'running', tags: { 'dps-offhours': 'off=[(M-U,18)];tz=UTC', owner: 'ops' } }),
  start: (id: string): LocalResource => ({ id, type: 'Microsoft.Compute/virtualMachines', state: 'stopped', tags: { 'dps-offhours': 'on=[(M-U,18)];tz=UTC', 'dps-stopped-by': 'offhours', owner: 'ops' } }),
};

/** Acts on a fresh resource; the inventory write numbered `failAt` fails once and the activity runs again. */
async function act(kind: 'stop' | 'start', name: string, failAt: number) {
  const id = vm(name);
  await inventory.replaceAll([...(await inventory.list()).filter((r) => r.id !== id), resources[kind](id)]);
  const plan = new FaultPlan(failAt);
  const faulty = plan.wrap('inventory', inventory, ['stop', 'start', 'updateTags']);
  const planned = planOffHours({ resources: [resources[kind](id)], at, since, defaults });
  if (!planned.ok) throw new Error(planned.error);
  const decision = planned.value.decisions[0];
  expect(decision.action).toBe(kind);
  const services = async () => ({ inventory: faulty, defaults }) as unknown as FinOpsServices;
  const handler = finopsAct(services);
  const input = { run, since, decision, when: at };
  let failed = false;
  const result = await handler(input, activityContext(FINOPS_ACT.name)).catch(async (error: unknown) => {
    if (!(error instanceof InjectedFault)) throw error;
    failed = true;
    return handler(input, activityContext(FINOPS_ACT.name));
  });
  // Power actions that went through: every stop/start call but the one that was failed.
  const actions = plan.calls.filter((c, i) => /\.(stop|start)$/.test(c) && i !== failAt - 1).length;
  const { actedAt, ...outcome } = result;
  expect(actedAt).toEqual(expect.any(String));
  const resource = await inventory.get(id);
  return { failed, actions, outcome: { ...outcome, id: '' }, resource: resource && { ...resource, id: '' } };
}

for (const kind of ['stop', 'start'] as const) {
  it(`${kind}s once, leaving the same resource and outcome, when acting is re-run after a failure at any of its writes`, async () => {
    const clean = await act(kind, `${kind}-clean`, 0);
    expect(clean.actions).toBe(1);
    expect(clean.outcome.outcome).toBe(kind === 'stop' ? 'stopped' : 'started');
    expect(clean.resource?.state).toBe(kind === 'stop' ? 'stopped' : 'running');
    // Two writes per action: the stop marks then stops, the start starts then takes the mark off.
    for (const failAt of [1, 2]) {
      const faulted = await act(kind, `${kind}-faulted-${failAt}`, failAt);
      expect(faulted.failed, `write ${failAt}`).toBe(true);
      expect({ actions: faulted.actions, outcome: faulted.outcome, resource: faulted.resource }, `write ${failAt}`).toEqual({ actions: 1, outcome: clean.outcome, resource: clean.resource });
    }
  });
}
