import type { OffHoursResource } from '../../Dps.Domain/finops/resource-decision';
import type { TagChanges } from '../../Dps.Domain/finops/tag-changes';

/** Where the off-hours policy finds resources and acts on them: Azure, or the local table. */
export interface FinOpsInventory {
  /** Resources that carry a `dps-offhours` tag (any value), with their state and tags. */
  list(): Promise<OffHoursResource[]>;
  /** One resource as it is now; undefined when it no longer exists. */
  get(id: string): Promise<OffHoursResource | undefined>;
  /** Stops the resource (a VM is deallocated, so it no longer costs compute). */
  stop(resource: OffHoursResource): Promise<void>;
  /** Starts the resource. */
  start(resource: OffHoursResource): Promise<void>;
  /** Sets and removes tags, keeping all others. */
  updateTags(resource: OffHoursResource, changes: TagChanges): Promise<void>;
}
