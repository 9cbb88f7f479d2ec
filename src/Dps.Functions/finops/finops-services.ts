import type { OffHoursDefaults } from '../../Dps.Domain/finops/plan-offhours';
import type { AppDependencies } from '../composition-root';
import { createFinOpsInventory } from '../adapters/create-finops-inventory';
import type { FinOpsInventory } from '../adapters/finops-inventory';
import { FinOpsStore } from '../adapters/finops-store';
import { lazyAsync } from '../adapters/lazy-async';

/** What the FinOps functions work with. */
export interface FinOpsServices {
  store: FinOpsStore;
  inventory: FinOpsInventory;
  defaults: OffHoursDefaults;
}

/** The FinOps store and inventory, opened on first use. */
export function finopsServices(deps: AppDependencies): () => Promise<FinOpsServices> {
  return lazyAsync(async () => {
    const storage = deps.storage();
    const { finops } = deps.settings;
    return {
      store: new FinOpsStore(await storage.table(deps.settings.tables.finops)),
      inventory: await createFinOpsInventory(deps.settings, storage),
      defaults: { schedule: finops.defaultSchedule, hourlyCost: finops.hourlyCost },
    };
  });
}
