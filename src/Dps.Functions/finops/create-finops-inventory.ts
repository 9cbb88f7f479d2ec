import type { DpsSettings } from '../settings';
import type { FinOpsInventory } from './finops-inventory';
import { LOCAL_INVENTORY_TABLE, LocalFinOpsInventory } from './finops-local-inventory';
import type { StorageClients } from '../storage/storage-clients';

/** The inventory `settings.finops.inventory` names; the Azure SDKs are loaded only when it is `azure`. */
export async function createFinOpsInventory(settings: DpsSettings, storage: StorageClients): Promise<FinOpsInventory> {
  if (settings.finops.inventory === 'azure') {
    const { AzureFinOpsInventory } = await import('./finops-azure-inventory');
    return new AzureFinOpsInventory(settings);
  }
  return new LocalFinOpsInventory(await storage.table(LOCAL_INVENTORY_TABLE));
}
