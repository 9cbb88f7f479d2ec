import type { ComputePool } from './compute/compute-pool';
import type { DataPlane } from './datasets/data-plane';
import type { ModelRegistry } from './registry/model-registry';
import type { ServingRuntime } from './serving/serving-runtime';
import type { DpsSettings } from './settings';
import type { StorageClients } from './storage/storage-clients';

/** What function modules receive: settings and lazily created adapters (no I/O at load time). */
export interface AppDependencies {
  version: string;
  settings: DpsSettings;
  storage(): StorageClients;
  dataPlane(): DataPlane;
  registry(): ModelRegistry;
  /** This instance's serving state: artifact LRU, routing cache, prediction and feature stores. */
  serving(): ServingRuntime;
  /** The worker-thread pool for CPU-bound Domain work (created on first use, threads end when idle). */
  compute(): ComputePool;
}
