import type { LocalResource } from '../../Dps.Functions/finops/finops-local-inventory';

const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dps-sample/providers';
const VM_TYPE = 'Microsoft.Compute/virtualMachines';
const SITE_TYPE = 'Microsoft.Web/sites';

/**
 * A sample inventory whose schedules fall around `now`: `off` at this UTC hour and the next, `on`
 * three hours later, so a run within the next two hours stops (and starts) something. It shows waves
 * (dps-sequence), a start of a resource DPS stopped, a snooze, an opt-out, a malformed tag and a
 * resource that cannot be stopped (simulateFailure).
 */
export function sampleInventory(now: Date): LocalResource[] {
  const h = now.getUTCHours();
  const hours = `[(M-U,${h}),(M-U,${(h + 1) % 24})]`;
  const schedule = `off=${hours};on=(M-U,${(h + 3) % 24});tz=UTC`;
  const vm = (name: string) => `${SUBSCRIPTION}/${VM_TYPE}/${name}`;
  const site = (name: string) => `${SUBSCRIPTION}/${SITE_TYPE}/${name}`;
  const tomorrow = new Date(now.getTime() + 24 * 3_600_000).toISOString();
  return [
    { id: vm('vm-db'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-sequence': '10', 'dps-hourly-cost': '1.20' } },
    { id: vm('vm-api'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-sequence': '5', 'dps-hourly-cost': '0.45' } },
    { id: site('func-etl'), type: SITE_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-sequence': '5', 'dps-hourly-cost': '0.20' } },
    { id: site('app-web'), type: SITE_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-hourly-cost': '0.10' } },
    { id: vm('vm-train'), type: VM_TYPE, state: 'stopped', tags: { 'dps-offhours': `on=${hours};tz=UTC`, 'dps-stopped-by': 'offhours', 'dps-hourly-cost': '2.50' } },
    { id: vm('vm-demo'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-snooze-until': tomorrow } },
    { id: vm('vm-shared'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': 'none' } },
    { id: vm('vm-typo'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': 'off=(M-F,25)' } },
    { id: vm('vm-legacy'), type: VM_TYPE, state: 'running', tags: { 'dps-offhours': schedule, 'dps-hourly-cost': '0.30' }, simulateFailure: 'simulated: the VM agent did not answer' },
  ];
}
