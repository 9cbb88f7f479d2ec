/** A registered function as the host lists it: its name and bindings. */
export interface ListedFunction {
  metadata: { name: string; bindings: Record<string, { type?: string | null; direction?: string | null; [property: string]: unknown }> };
}

const KINDS: Record<string, string> = {
  httpTrigger: 'HTTP', orchestrationTrigger: 'orchestrations', activityTrigger: 'activities', entityTrigger: 'entities',
  timerTrigger: 'timers', eventHubTrigger: 'Event Hubs', blobTrigger: 'blob', queueTrigger: 'queue',
};

/** One line per trigger kind (`HTTP (12): GET health, POST datasets/{dataset}/ingest, ...`) instead of every internal name. */
export function summarizeFunctions(functions: ListedFunction[]): string[] {
  const groups = new Map<string, string[]>();
  for (const { metadata } of functions) {
    const trigger = Object.values(metadata.bindings).find((b) => typeof b.type === 'string' && b.type.endsWith('Trigger'));
    const kind = KINDS[trigger?.type ?? ''] ?? 'other';
    const label = kind === 'HTTP' && trigger
      ? `${((trigger.methods as string[] | undefined) ?? ['ANY']).join('|').toUpperCase()} ${String(trigger.route ?? metadata.name)}`
      : metadata.name;
    groups.set(kind, [...(groups.get(kind) ?? []), label]);
  }
  return [...groups].map(([kind, names]) => `${kind} (${names.length}): ${names.sort().join(', ')}`);
}
