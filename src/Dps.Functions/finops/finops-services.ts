import type { OffHoursDefaults } from '../../Dps.Domain/finops/plan-offhours';
import type { AppDependencies } from '../app-dependencies';
import { createFinOpsInventory } from './create-finops-inventory';
import type { FinOpsInventory } from './finops-inventory';
import { FinOpsStore } from '../storage/finops-store';
import { lazyAsync } from '../shared/lazy-async';

/** What the FinOps functions work with. */
export interface FinOpsServices {
  store: FinOpsStore;
  inventory: FinOpsInventory;
  defaults: OffHoursDefaults;
}

/** The FinOps store and inventory, opened on first use. */
export function finopsServices(deps: AppDependencies): () => Promise<FinOpsServices> {
  return lazyAsync(() => deps.storage(), async (storage) => {
    const { finops } = deps.settings;
    return {
      store: new FinOpsStore(await storage.table(deps.settings.tables.finops)),
      inventory: await createFinOpsInventory(deps.settings, storage),
      defaults: { schedule: finops.defaultSchedule, hourlyCost: finops.hourlyCost },
    };
  });
}
