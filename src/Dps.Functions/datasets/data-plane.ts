import type { StorageClients } from '../storage/storage-clients';
import type { DpsSettings } from '../settings';
import { ContractStore } from './contract-store';
import { DedupStore } from './dedup-store';
import { SilverCatalog } from './silver-catalog';

/** The data plane's stores, built once from the storage clients. */
export interface DataPlane {
  contracts: ContractStore;
  silver: SilverCatalog;
  dedup: DedupStore;
}

/** Wires the data plane's stores onto storage (called by the composition root). */
export function createDataPlane(storage: StorageClients, settings: DpsSettings): DataPlane {
  const datasets = () => storage.table(settings.tables.datasets);
  return {
    contracts: new ContractStore(datasets),
    silver: new SilverCatalog(datasets),
    dedup: new DedupStore(storage.blobs, settings.containers),
  };
}
