import { OffHoursPlanInput, planOffHours } from '../../../src/Dps.Domain/finops/plan-offhours';
import { OffHoursResource } from '../../../src/Dps.Domain/finops/resource-decision';

/** Test helper: a resource with tags. */
export function resource(id: string, state: 'running' | 'stopped', tags: Record<string, string>): OffHoursResource {
  return { id, type: 'Microsoft.Compute/virtualMachines', state, tags };
}

/** Test helper: runs a plan that must succeed. */
export function plan(resources: OffHoursResource[], at: string, extra: Partial<OffHoursPlanInput> = {}) {
  const r = planOffHours({ resources, at, defaults: { schedule: 'off=(M-F,19);on=(M-F,7);tz=UTC', hourlyCost: 1 }, ...extra });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

/** Test helper: the one decision of a one-resource plan. */
export function decide(r: OffHoursResource, at: string, extra: Partial<OffHoursPlanInput> = {}) {
  return plan([r], at, extra).decisions[0];
}
