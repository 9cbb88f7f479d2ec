import { OFFHOURS_TAGS, STOPPED_BY_OFFHOURS } from './offhours-tags';

/** Tags to set (name to value) and tag names to remove on a resource. */
export interface TagChanges {
  set: Record<string, string>;
  remove: string[];
}

/**
 * The tag changes to write after DPS stopped or started a resource: a stop marks it
 * `dps-stopped-by: offhours` (so a later `on` may start it), a start removes the mark. Existing
 * spellings of the tag name are kept, as Azure treats tag names case-insensitively.
 */
export function tagChangesAfter(action: 'stop' | 'start', tags: Record<string, string>): TagChanges {
  const existing = Object.keys(tags).filter((k) => k.toLowerCase() === OFFHOURS_TAGS.stoppedBy);
  if (action === 'start') return { set: {}, remove: existing };
  return { set: { [existing[0] ?? OFFHOURS_TAGS.stoppedBy]: STOPPED_BY_OFFHOURS }, remove: existing.slice(1) };
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
