import type { DataPlane } from '../datasets/data-plane';
import type { ModelRegistry } from '../registry/model-registry';
import type { DpsSettings } from '../settings';
import type { StorageClients } from '../storage/storage-clients';

/** What serving needs of the app: a narrow view of AppDependencies, so the app's dependencies can hold serving without an import loop. */
export interface ServingDependencies {
  settings: DpsSettings;
  storage(): StorageClients;
  dataPlane(): DataPlane;
  registry(): ModelRegistry;
}
