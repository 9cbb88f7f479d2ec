import { OFFHOURS_TAGS, findTag } from '../../Dps.Domain/finops/offhours-tags';
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

/** The tags after `changes`: removals first, then the values set. */
export function applyTagChanges(tags: Record<string, string>, changes: TagChanges): Record<string, string> {
  const next = Object.fromEntries(Object.entries(tags).filter(([name]) => !changes.remove.includes(name)));
  return { ...next, ...changes.set };
}

/** The changes that bring tags changed by `changes` back to `original`. */
export function undoTagChanges(original: Record<string, string>, changes: TagChanges): TagChanges {
  const touched = [...Object.keys(changes.set), ...changes.remove];
  return {
    set: Object.fromEntries(touched.filter((name) => name in original).map((name) => [name, original[name]])),
    remove: Object.keys(changes.set).filter((name) => !(name in original)),
  };
}

/** True when a resource opted in to the policy (a malformed, repeated tag counts: the plan reports it). */
export function hasOffHoursTag(tags: Record<string, string>): boolean {
  const tag = findTag(tags, OFFHOURS_TAGS.schedule);
  return !tag.ok || tag.value !== undefined;
}
