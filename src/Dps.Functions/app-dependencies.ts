import type { ComputePool } from './compute/compute-pool';
import type { DataPlane } from './datasets/data-plane';
import type { LineageEmitter } from './lineage/lineage-emitter';
import type { ModelRegistry } from './registry/model-registry';
import type { ServingRuntime } from './serving/serving-runtime';
import type { DpsSettings } from './settings';
import type { StorageClients } from './storage/storage-clients';
import type { AppMetrics } from './telemetry/app-metrics';

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
  /** Where every run's OpenLineage events go: container `lineage`, and DPS_OPENLINEAGE_URL when set. */
  lineage(): LineageEmitter;
  /** The line's custom metrics (OpenTelemetry; recorded nowhere unless telemetry was started). */
  metrics: AppMetrics;
}
